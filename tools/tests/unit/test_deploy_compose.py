"""The compose files and the Dockerfile, checked statically (no Docker engine runs here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from lienthong_tools.devstack import REPO, SERVICES
from lienthong_tools.ops import compose
from lienthong_tools.ops.components import components, required_env, state_dirs

INFRA = {"kafka", "postgres", "init"}


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((REPO / name).read_text())
    return document


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    found: dict[str, Any] = load("docker-compose.yml")["services"]
    return found


def test_committed_compose_files_are_the_generated_ones() -> None:
    for relative, content in compose.generated_files().items():
        assert (REPO / relative).read_text() == content, (
            f"{relative} is stale: run `lienthong ops compose`"
        )


def test_every_platform_service_runs_in_compose_beside_kafka_and_postgres(
    services: dict[str, Any],
) -> None:
    assert set(services) == INFRA | {s.name for s in SERVICES}
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["kafka"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert services["postgres"]["image"].startswith("postgres:")
    for spec in SERVICES:
        assert services[spec.name]["command"] == ["python", "-m", spec.module]


def test_every_container_has_an_image_and_each_image_is_built_once(
    services: dict[str, Any],
) -> None:
    built = {s["image"]: s["build"] for s in services.values() if "build" in s}
    assert len(built) == len([s for s in services.values() if "build" in s])
    assert built[compose.TOOLS_IMAGE]["target"] == "tools"
    assert built[compose.IMAGE]["target"] == "service"
    assert services["init"]["image"] == compose.TOOLS_IMAGE
    for spec in SERVICES:
        assert services[spec.name]["image"] == compose.IMAGE
    for name, service in services.items():
        assert service.get("image"), name


def test_every_service_gets_the_environment_its_settings_require(
    services: dict[str, Any],
) -> None:
    for comp in components():
        env = services[comp.name]["environment"]
        missing = required_env(comp) - set(env)
        assert not missing, f"{comp.name} lacks {missing}"
        assert "AUTH_JWT_SECRET" in env or "AUTH_JWKS_URL" in env
        assert env["OTEL_SERVICE_NAME"] == comp.name
        assert env["DATABASE_URL"].endswith(f"@postgres:5432/{comp.database}")
        assert env["HTTP_HOST"] == "0.0.0.0", "a container must listen beyond loopback"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == compose.KAFKA_INTERNAL


def test_state_directories_are_on_volumes_because_the_root_fs_is_read_only(
    services: dict[str, Any],
) -> None:
    for comp in components():
        service = services[comp.name]
        assert service["read_only"] is True
        mounted = {v.split(":")[1] for v in service.get("volumes", [])}
        for variable, path in state_dirs(comp).items():
            assert service["environment"][variable] == path
            assert path in mounted


def test_published_ports_are_unique_and_match_the_local_ports(services: dict[str, Any]) -> None:
    published = [p.split(":")[0] for s in services.values() for p in s.get("ports", [])]
    assert len(published) == len(set(published))
    for spec in SERVICES:
        assert services[spec.name]["ports"] == [f"{spec.port}:8000"]


def test_services_start_only_after_healthy_infrastructure_and_a_finished_init(
    services: dict[str, Any],
) -> None:
    for infra in ("kafka", "postgres"):
        assert services[infra]["healthcheck"]["test"]
    assert services["init"]["depends_on"] == {
        "kafka": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    assert "topics provision" in services["init"]["command"][-1]
    assert "ops migrate --all" in services["init"]["command"][-1]
    for spec in SERVICES:
        assert services[spec.name]["depends_on"]["init"] == {
            "condition": "service_completed_successfully"
        }


def test_no_database_password_is_written_into_a_url(services: dict[str, Any]) -> None:
    for spec in SERVICES:
        url = services[spec.name]["environment"]["DATABASE_URL"]
        assert not re.search(r"//[^/@]+:[^/@]+@", url), url


def test_observability_overlay_traces_every_service_to_the_collector() -> None:
    overlay = load("docker-compose.observability.yml")["services"]
    assert {"otel-collector", "jaeger", "prometheus", "grafana"} <= set(overlay)
    for spec in SERVICES:
        assert overlay[spec.name]["environment"]["OTEL_TRACES_EXPORTER"] == "otlp"
    for mount in [v for s in overlay.values() for v in s.get("volumes", [])]:
        source = mount.split(":")[0]
        assert (REPO / source).exists(), f"{source} is mounted but missing"


def test_prometheus_scrapes_every_service() -> None:
    config = load("deploy/prometheus.yml")
    targets = {t for s in config["scrape_configs"][0]["static_configs"] for t in s["targets"]}
    assert targets == {f"{s.name}:8000" for s in SERVICES}


def test_otel_collector_receives_otlp_and_exports_traces_to_jaeger() -> None:
    config = load("deploy/otel-collector.yaml")
    assert "otlp" in config["receivers"]
    pipeline = config["service"]["pipelines"]["traces"]
    assert pipeline["receivers"] == ["otlp"]
    for exporter in pipeline["exporters"]:
        assert exporter in config["exporters"]


class TestDockerfile:
    text = (REPO / "Dockerfile").read_text()

    def test_runs_as_a_non_root_user(self) -> None:
        users = re.findall(r"^USER\s+(\S+)", self.text, re.MULTILINE)
        assert users and users[-1].split(":")[0] not in {"root", "0"}

    def test_uses_a_slim_python_base(self) -> None:
        assert re.search(r"PYTHON_IMAGE=python:3\.11-slim", self.text)

    def test_checks_its_own_health(self) -> None:
        assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", self.text, re.MULTILINE)

    def test_ships_the_schemas_the_codec_reads_at_start(self) -> None:
        assert "COPY schemas /app/schemas" in self.text
        assert "LIENTHONG_SCHEMAS_DIR=/app/schemas" in self.text

    def test_the_service_image_is_the_default_target_and_installs_no_tools_extra(self) -> None:
        stages = re.findall(r"^FROM .* AS (\S+)$", self.text, re.MULTILINE)
        assert stages[-1] == "service"
        service_stage = self.text.split("AS service", 1)[1]
        assert "--from=build " in service_stage
        assert "[tools]" not in self.text.split("AS build-tools", 1)[0]

    def test_copies_only_what_exists(self) -> None:
        for source in re.findall(r"^COPY (?!--from)(.+) \S+$", self.text, re.MULTILINE):
            for path in source.split():
                assert (REPO / path).exists(), path


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", ".local", ".git"} <= set(ignored)


def test_compose_volume_names_are_declared(services: dict[str, Any]) -> None:
    declared = set(load("docker-compose.yml")["volumes"])
    for service in services.values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith("."):
                assert source in declared
    assert Path(REPO / "docker-compose.yml").exists()
