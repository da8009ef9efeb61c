"""The Grafana dashboard reads the metric names the services really export."""

from __future__ import annotations

import json
import re

from prometheus_client.metrics import MetricWrapperBase

from lienthong import metrics
from lienthong_tools.devstack import REPO

DASHBOARD = REPO / "deploy" / "grafana" / "dashboards" / "lienthong.json"
_METRIC = re.compile(r"\b(lienthong_[a-z_]+)")


def exported_series() -> dict[str, str]:
    """Series name → metric family, for the platform's shared metrics."""
    series = {}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            for family in value.describe():
                for suffix in ("", "_total", "_bucket", "_count", "_sum"):
                    series[family.name + suffix] = family.name
    return series


def expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p["targets"]]


def test_every_dashboard_query_names_an_exported_metric() -> None:
    known = exported_series()
    for expr in expressions():
        for name in _METRIC.findall(expr):
            assert name in known, f"{name} in {expr!r} is not exported by lienthong.metrics"


def test_every_shared_metric_has_a_panel() -> None:
    used = {exported_series()[n] for e in expressions() for n in _METRIC.findall(e)}
    assert used == set(exported_series().values())


def test_panels_do_not_overlap_and_use_the_datasource_variable() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    cells = set()
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                assert (x, y) not in cells, panel["title"]
                cells.add((x, y))
        assert panel["datasource"]["uid"] == "${datasource}"
