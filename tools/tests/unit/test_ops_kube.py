"""Kubernetes tooling: the replay Job's manifest, and the API calls against a local fake.

``FakeKubernetesApiServer`` is a stand-in HTTP server on 127.0.0.1 that answers the few
Kubernetes API paths these commands use with canned objects and records what it was sent.
It checks the calls the client makes; it is not a cluster.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import yaml
from kubernetes import client as k8s
from typer.testing import CliRunner

from lienthong_tools.cli.main import app
from lienthong_tools.ops.kube import (
    ReplayRequest,
    replay_job,
    reporting_container,
    rollout_status,
    submit_replay,
    to_dict,
)

NAMESPACE = "p06"


def deployment(
    component: str, *, desired: int, updated: int, ready: int, generation: int = 2
) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": f"lienthong-{component}",
            "namespace": NAMESPACE,
            "generation": generation,
            "labels": {
                "app.kubernetes.io/instance": "lienthong",
                "app.kubernetes.io/component": component,
            },
        },
        "spec": {
            "replicas": desired,
            "selector": {"matchLabels": {"app.kubernetes.io/component": component}},
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/component": component}},
                "spec": {
                    "containers": [
                        {
                            "name": component,
                            "image": "registry.example.vn/lienthong:0.1.0",
                            "env": [
                                {"name": "OTEL_SERVICE_NAME", "value": component},
                                {"name": "HTTP_PORT", "value": "8005"},
                                {
                                    "name": "DATABASE_URL",
                                    "value": f"postgresql://lienthong@pg:5432/{component}",
                                },
                            ],
                            "envFrom": [
                                {"configMapRef": {"name": "lienthong-config"}},
                                {"secretRef": {"name": "lienthong-production"}},
                            ],
                        }
                    ]
                },
            },
        },
        "status": {
            "observedGeneration": 2,
            "replicas": desired,
            "updatedReplicas": updated,
            "readyReplicas": ready,
            "availableReplicas": ready,
        },
    }


class FakeKubernetesApiServer(ThreadingHTTPServer):
    """A local fake of the Kubernetes API: canned Deployments, records created Jobs."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.deployments = [
            deployment("intake", desired=2, updated=2, ready=2),
            deployment("reporting", desired=2, updated=1, ready=1),
        ]
        self.requests: list[tuple[str, str, dict[str, Any] | None]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeKubernetesApiServer

    def log_message(self, *args: object) -> None:
        return

    def _send(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self.server.requests.append(("GET", self.path, None))
        base = f"/apis/apps/v1/namespaces/{NAMESPACE}/deployments"
        if self.path.startswith(base + "?"):
            self._send(
                200,
                {
                    "apiVersion": "apps/v1",
                    "kind": "DeploymentList",
                    "metadata": {},
                    "items": self.server.deployments,
                },
            )
            return
        for item in self.server.deployments:
            if self.path == f"{base}/{item['metadata']['name']}":
                self._send(200, item)
                return
        self._send(
            404,
            {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "reason": "NotFound",
                "code": 404,
            },
        )

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(("POST", self.path, body))
        if self.path == f"/apis/batch/v1/namespaces/{NAMESPACE}/jobs":
            body.setdefault("metadata", {})["uid"] = "0000-fake"
            self._send(201, body)
            return
        self._send(404, {"kind": "Status", "code": 404})


@pytest.fixture
def fake_api() -> Iterator[FakeKubernetesApiServer]:
    server = FakeKubernetesApiServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def api_client(server: FakeKubernetesApiServer) -> k8s.ApiClient:
    configuration = k8s.Configuration(host=server.url)
    return k8s.ApiClient(configuration)


def reporting_template() -> k8s.V1Container:
    document = deployment("reporting", desired=1, updated=1, ready=1)
    model = k8s.ApiClient().deserialize(json.dumps(document), "V1Deployment", None)
    container: k8s.V1Container = model.spec.template.spec.containers[0]
    return container


def test_rebuild_replay_job_runs_reportings_rebuild_with_reportings_settings() -> None:
    request = ReplayRequest(
        release="lienthong", namespace=NAMESPACE, requested_by="kiem.toan@btp.gov.vn"
    )
    job = to_dict(replay_job(request, reporting_template(), suffix="a1"))
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert job["metadata"]["name"] == "lienthong-replay-a1"
    assert container["command"] == ["lienthong"]
    assert container["args"] == ["replay", "run", "--no-progress"]
    assert container["image"] == "registry.example.vn/lienthong:0.1.0"
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["DATABASE_URL"].endswith("/reporting")
    assert "HTTP_PORT" not in env
    assert container["envFrom"][1]["secretRef"]["name"] == "lienthong-production"
    assert job["metadata"]["labels"]["lienthong.vn/requested-by"] == "kiem.toan-btp.gov.vn"
    assert job["metadata"]["annotations"]["lienthong.vn/requested-by"] == "kiem.toan@btp.gov.vn"
    assert job["spec"]["backoffLimit"] == 0
    assert pod["restartPolicy"] == "Never"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["resources"]["limits"]["memory"]


def test_window_replay_job_lists_the_log_between_two_event_times() -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    request = ReplayRequest(
        release="lienthong",
        namespace=NAMESPACE,
        requested_by="auditor",
        action="window",
        topics=("intake.dossier.events", "orchestrator.bundle.events"),
        since=since,
    )
    args = to_dict(replay_job(request, reporting_template()))["spec"]["template"]["spec"][
        "containers"
    ][0]["args"]
    assert args == [
        "replay",
        "window",
        "--topic",
        "intake.dossier.events",
        "--topic",
        "orchestrator.bundle.events",
        "--since",
        "2026-01-01T00:00:00+00:00",
    ]


def test_window_replay_without_topics_and_unknown_actions_are_refused() -> None:
    with pytest.raises(ValueError, match="topic"):
        replay_job(
            ReplayRequest("lienthong", NAMESPACE, "a", action="window"), reporting_template()
        )
    with pytest.raises(ValueError, match="action"):
        replay_job(
            ReplayRequest("lienthong", NAMESPACE, "a", action="delete"), reporting_template()
        )


def test_replay_job_is_a_valid_batch_job_with_a_unique_name() -> None:
    request = ReplayRequest("lienthong", NAMESPACE, "auditor")
    first, second = (replay_job(request, reporting_template()) for _ in range(2))
    assert first.metadata.name != second.metadata.name
    round_trip = k8s.ApiClient().deserialize(json.dumps(to_dict(first)), "V1Job", None)
    assert round_trip == first


def test_submitting_a_replay_posts_the_job_to_the_batch_api(
    fake_api: FakeKubernetesApiServer,
) -> None:
    api = api_client(fake_api)
    template = reporting_container(k8s.AppsV1Api(api), NAMESPACE, "lienthong")
    job = replay_job(ReplayRequest("lienthong", NAMESPACE, "auditor"), template, suffix="b2")
    name = submit_replay(k8s.BatchV1Api(api), job)
    assert name == "lienthong-replay-b2"
    method, path, body = fake_api.requests[-1]
    assert (method, path) == ("POST", f"/apis/batch/v1/namespaces/{NAMESPACE}/jobs")
    assert body is not None and body["spec"]["template"]["spec"]["containers"][0]["args"][:2] == [
        "replay",
        "run",
    ]
    assert (
        fake_api.requests[0][1]
        == f"/apis/apps/v1/namespaces/{NAMESPACE}/deployments/lienthong-reporting"
    )


def test_rollout_status_reads_the_releases_deployments(fake_api: FakeKubernetesApiServer) -> None:
    rollouts = rollout_status(k8s.AppsV1Api(api_client(fake_api)), NAMESPACE, "lienthong")
    assert [(r.component, r.complete) for r in rollouts] == [("intake", True), ("reporting", False)]
    assert rollouts[1].updated == 1 and rollouts[1].desired == 2
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(fake_api.requests[0][1]).query)
    assert query["labelSelector"] == ["app.kubernetes.io/instance=lienthong"]


def test_a_rollout_whose_new_generation_is_not_observed_yet_is_not_complete(
    fake_api: FakeKubernetesApiServer,
) -> None:
    fake_api.deployments = [deployment("identity", desired=1, updated=1, ready=1, generation=3)]
    [rollout] = rollout_status(k8s.AppsV1Api(api_client(fake_api)), NAMESPACE, "lienthong")
    assert not rollout.complete


def test_replay_job_command_prints_the_job_in_dry_run(
    fake_api: FakeKubernetesApiServer, tmp_path: Any
) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "fake", "cluster": {"server": fake_api.url}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "u"}}],
                "current-context": "fake",
            }
        )
    )
    result = CliRunner().invoke(
        app,
        [
            "ops",
            "replay-job",
            "--requested-by",
            "auditor",
            "--namespace",
            NAMESPACE,
            "--kubeconfig",
            str(kubeconfig),
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    job = yaml.safe_load(result.stdout)
    assert job["kind"] == "Job"
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == [
        "replay",
        "run",
        "--no-progress",
    ]
    assert not [r for r in fake_api.requests if r[0] == "POST"]
