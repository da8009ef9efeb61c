"""The Helm chart, rendered without a cluster (helm-python-sdk bundles Helm's Go SDK).

Every rendered manifest is loaded into the ``kubernetes`` client's models (unknown or
mistyped keys fail), then the chart's promises are checked: probes, limits and non-root on
every Deployment, an HPA and a PDB for every stream worker, no secret in a ConfigMap,
NetworkPolicies that only open Kafka, the database and callers, and a pre-install Job.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helm_python import Chart, lint
from helm_python.errors import HelmError, HelmValuesError
from kubernetes import client as k8s
from typer.testing import CliRunner

from lienthong_tools.cli.main import app
from lienthong_tools.devstack import SERVICES
from lienthong_tools.ops.components import components

CHART = Path(__file__).resolve().parents[3] / "charts" / "lienthong"
CI_VALUES = sorted((CHART / "ci").glob("*.yaml"))
MODELS = {
    "Deployment": "V1Deployment",
    "Service": "V1Service",
    "ConfigMap": "V1ConfigMap",
    "Secret": "V1Secret",
    "Job": "V1Job",
    "HorizontalPodAutoscaler": "V2HorizontalPodAutoscaler",
    "PodDisruptionBudget": "V1PodDisruptionBudget",
    "NetworkPolicy": "V1NetworkPolicy",
    "PersistentVolumeClaim": "V1PersistentVolumeClaim",
}
SECRET_KEYS = {"SUBJECT_ID_KEY", "AUTH_JWT_SECRET", "PGPASSWORD", "KAFKA_SASL_PASSWORD"}


class _UniqueKeyLoader(yaml.SafeLoader):
    """Rejects a key written twice in one mapping (YAML keeps the last one silently)."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"duplicate keys {duplicates} at {node.start_mark}"
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def render(values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    with Chart.load(CHART) as chart:
        rendered = chart.render(values, name="p06", namespace="lienthong", is_install=True)
    documents = []
    for path, text in rendered.items():
        if path.endswith(".yaml"):
            documents += [d for d in yaml.load_all(text, Loader=_UniqueKeyLoader) if d]
    return documents


def ci_values(path: Path) -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load(path.read_text())
    return values


def topic_values() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["ops", "topic-values"])
    assert result.exit_code == 0, result.output
    values: dict[str, Any] = yaml.safe_load(result.stdout)
    return values


VALUE_SETS = {
    "default": None,
    **{p.stem: ci_values(p) for p in CI_VALUES},
}


def as_model(document: dict[str, Any]) -> Any:
    """The manifest as a client model; every key must be one the model knows."""
    model = k8s.ApiClient().deserialize(json.dumps(document), MODELS[document["kind"]], None)
    round_trip = k8s.ApiClient().sanitize_for_serialization(model)
    assert _unknown_keys(document, round_trip) == [], document["metadata"]["name"]
    return model


def _unknown_keys(original: Any, known: Any, where: str = "") -> list[str]:
    if isinstance(original, dict):
        if not isinstance(known, dict):
            return [where]
        missing = [f"{where}.{k}" for k in original if k not in known and original[k] is not None]
        return missing + [
            p for k in original if k in known for p in _unknown_keys(original[k], known[k], k)
        ]
    if isinstance(original, list) and isinstance(known, list):
        return [
            p for a, b in zip(original, known, strict=False) for p in _unknown_keys(a, b, where)
        ]
    return []


def of_kind(documents: list[dict[str, Any]], kind: str) -> Iterator[dict[str, Any]]:
    return (d for d in documents if d["kind"] == kind)


@pytest.fixture(scope="module", params=sorted(VALUE_SETS))
def manifests(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(VALUE_SETS[request.param])


def test_chart_lints_clean_for_default_and_ci_values() -> None:
    for name, values in VALUE_SETS.items():
        report = lint(CHART, values, strict=True)
        errors = [m for m in report["messages"] if m["severity"] >= 2] + report["errors"]
        assert errors == [], name


def test_every_rendered_manifest_is_a_valid_kubernetes_object(
    manifests: list[dict[str, Any]],
) -> None:
    kinds = {d["kind"] for d in manifests}
    assert kinds <= set(MODELS) | {"KafkaTopic"}
    for document in manifests:
        if document["kind"] != "KafkaTopic":
            as_model(document)


def test_every_deployment_has_probes_limits_and_runs_as_non_root_on_a_read_only_fs(
    manifests: list[dict[str, Any]],
) -> None:
    deployments = [as_model(d) for d in of_kind(manifests, "Deployment")]
    assert deployments
    for deployment in deployments:
        pod = deployment.spec.template.spec
        assert pod.security_context.run_as_non_root is True
        assert pod.automount_service_account_token is False
        for container in pod.containers:
            assert container.liveness_probe.http_get.path == "/healthz"
            assert container.readiness_probe.http_get.path == "/readyz"
            assert container.resources.limits["cpu"] and container.resources.limits["memory"]
            assert container.resources.requests["memory"]
            assert container.security_context.read_only_root_filesystem is True
            assert container.security_context.allow_privilege_escalation is False
            assert container.security_context.capabilities.drop == ["ALL"]


def test_one_deployment_per_service_of_the_platform_each_on_its_own_database() -> None:
    deployments = [as_model(d) for d in of_kind(render(), "Deployment")]
    by_component = {d.metadata.labels["app.kubernetes.io/component"]: d for d in deployments}
    assert set(by_component) == {s.name.replace("_", "-") for s in SERVICES}
    for spec in SERVICES:
        container = by_component[spec.name.replace("_", "-")].spec.template.spec.containers[0]
        env = {e.name: e.value for e in container.env}
        assert container.command == ["python", "-m", spec.module]
        assert env["OTEL_SERVICE_NAME"] == spec.name
        assert env["DATABASE_URL"].endswith(f"/{spec.database}")
        assert container.ports[0].container_port == int(env["HTTP_PORT"]) == spec.port


def test_chart_components_match_the_platform_and_mark_every_consumer_a_worker() -> None:
    with Chart.load(CHART) as chart:
        values = chart.values["components"]
    assert set(values) == {s.name for s in SERVICES}
    for comp in components():
        assert values[comp.name]["port"] == comp.port
        assert values[comp.name]["database"] == comp.database
        if comp.worker:
            assert values[comp.name]["worker"], f"{comp.name} consumes {comp.consumes}"


def test_every_stream_worker_has_a_pod_disruption_budget_and_an_autoscaler_when_enabled(
    manifests: list[dict[str, Any]],
) -> None:
    workers = {
        d["metadata"]["name"]
        for d in of_kind(manifests, "Deployment")
        if d["metadata"]["labels"]["lienthong.vn/worker"] == "true"
    }
    assert workers
    pdbs = {as_model(d).metadata.name for d in of_kind(manifests, "PodDisruptionBudget")}
    assert workers <= pdbs
    hpas = [as_model(d) for d in of_kind(manifests, "HorizontalPodAutoscaler")]
    for hpa in hpas:
        assert hpa.spec.scale_target_ref.name in workers
        assert 1 <= hpa.spec.min_replicas <= hpa.spec.max_replicas
    scaled = {h.spec.scale_target_ref.name for h in hpas}
    for deployment in of_kind(manifests, "Deployment"):
        has_hpa = deployment["metadata"]["name"] in scaled
        assert has_hpa != ("replicas" in deployment["spec"]), "HPA and fixed replicas conflict"


def test_default_install_autoscales_every_worker_within_its_topics_partitions() -> None:
    documents = render()
    hpas = {
        as_model(d).spec.scale_target_ref.name: as_model(d)
        for d in of_kind(documents, "HorizontalPodAutoscaler")
    }
    by_deployment = {f"p06-{c.name.replace('_', '-')}": c for c in components()}
    from lienthong_tools.ops.components import load_platform_catalog

    catalog = load_platform_catalog()
    for name, comp in by_deployment.items():
        if not comp.worker:
            continue
        partitions = min(catalog.topic(t).partitions for t in comp.consumes)
        assert hpas[name].spec.max_replicas <= partitions, name


def test_no_secret_value_appears_in_a_configmap_or_a_plain_env_value(
    manifests: list[dict[str, Any]],
) -> None:
    secrets = {}
    for secret in of_kind(manifests, "Secret"):
        secrets.update(as_model(secret).data or {})
    for config in of_kind(manifests, "ConfigMap"):
        data = as_model(config).data
        assert not SECRET_KEYS & set(data)
        assert "password" not in " ".join(data).lower()
    rendered = yaml.safe_dump_all([d for d in manifests if d["kind"] != "Secret"])
    import base64

    for value in secrets.values():
        assert base64.b64decode(value).decode() not in rendered
    for deployment in of_kind(manifests, "Deployment"):
        for container in as_model(deployment).spec.template.spec.containers:
            for env in container.env:
                assert env.name not in SECRET_KEYS
                assert (
                    "@" not in env.value.split("//", 1)[-1].split("@")[0]
                    or ":" not in (env.value.split("//", 1)[-1].split("@")[0])
                ), f"{env.name} carries a password"


def test_generated_secrets_are_kept_across_upgrades_and_never_placeholders() -> None:
    secret = as_model(next(of_kind(render(), "Secret")))
    import base64

    subject_key = base64.b64decode(secret.data["SUBJECT_ID_KEY"]).decode()
    assert len(subject_key) >= 32
    assert secret.metadata.annotations["helm.sh/hook"] == "pre-install,pre-upgrade"


def test_network_policies_deny_by_default_and_open_only_kafka_database_and_dns() -> None:
    policies = [as_model(d) for d in of_kind(render(), "NetworkPolicy")]
    deny = next(p for p in policies if p.metadata.name == "p06-default-deny")
    assert deny.spec.ingress is None and deny.spec.egress is None
    assert set(deny.spec.policy_types) == {"Ingress", "Egress"}
    per_component = [
        p
        for p in policies
        if "app.kubernetes.io/component" in (p.spec.pod_selector.match_labels or {})
    ]
    assert len(per_component) == len(SERVICES)
    for policy in per_component:
        ports = sorted({(p.port, p.protocol) for rule in policy.spec.egress for p in rule.ports})
        assert ports == [(53, "TCP"), (53, "UDP"), (5432, "TCP"), (9092, "TCP")], (
            policy.metadata.name
        )


def test_a_component_that_calls_another_may_reach_it_and_nothing_else_may() -> None:
    values = {"components": {"national_portal": {"calls": ["intake"]}}}
    policies = {
        as_model(d).metadata.name: as_model(d) for d in of_kind(render(values), "NetworkPolicy")
    }
    portal_out = [r for r in policies["p06-national-portal"].spec.egress if r.to[0].pod_selector]
    assert [r.ports[0].port for r in portal_out if r.to[0].namespace_selector is None] == [8001]
    intake_callers = [
        peer.pod_selector.match_labels["app.kubernetes.io/component"]
        for rule in policies["p06-intake"].spec.ingress
        for peer in rule._from
        if peer.pod_selector is not None
    ]
    assert intake_callers == ["national-portal"]
    identity_callers = [
        peer
        for rule in policies["p06-identity"].spec.ingress
        for peer in rule._from
        if peer.pod_selector
    ]
    assert identity_callers == []


def test_pre_install_job_provisions_topics_then_migrates_every_service() -> None:
    job = as_model(next(of_kind(render(), "Job")))
    assert job.metadata.annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert job.spec.template.spec.init_containers[0].command == ["lienthong", "topics", "provision"]
    migrations = {c.name: c for c in job.spec.template.spec.containers}
    assert set(migrations) == {f"migrate-{s.name.replace('_', '-')}" for s in SERVICES}
    for spec in SERVICES:
        container = migrations[f"migrate-{spec.name.replace('_', '-')}"]
        assert container.command == ["lienthong", "ops", "migrate", "--service", spec.name]
        env = {e.name: e.value for e in container.env}
        assert env["DATABASE_URL"].endswith(f"/{spec.database}")
        assert container.security_context.read_only_root_filesystem is True


def test_strimzi_mode_emits_a_kafka_topic_per_catalog_topic_and_skips_job_provisioning() -> None:
    values = topic_values()
    values["topics"]["strimzi"] = {"enabled": True, "clusterName": "p06"}
    values["kafka"] = {"topicPrefix": "prod."}
    documents = render(values)
    topics = {d["spec"]["topicName"]: d for d in of_kind(documents, "KafkaTopic")}
    from lienthong_tools.ops.components import load_platform_catalog

    catalog = load_platform_catalog().all_topics()
    assert set(topics) == {"prod." + t.name for t in catalog}
    for topic in catalog:
        resource = topics["prod." + topic.name]
        assert resource["apiVersion"] == "kafka.strimzi.io/v1beta2"
        assert resource["metadata"]["labels"]["strimzi.io/cluster"] == "p06"
        assert resource["spec"]["partitions"] == topic.partitions
        assert resource["spec"]["config"]["retention.ms"] == str(topic.retention_ms)
    job = as_model(next(of_kind(documents, "Job")))
    assert not job.spec.template.spec.init_containers


def test_strimzi_mode_emits_a_kafka_user_per_service_with_the_catalogs_acls() -> None:
    values = topic_values()
    values["topics"]["strimzi"] = {"enabled": True, "clusterName": "p06"}
    values["kafka"] = {"topicPrefix": "prod.", "groupPrefix": "p06-"}
    users = {d["metadata"]["name"]: d["spec"] for d in of_kind(render(values), "KafkaUser")}
    writes = {
        name: {
            acl["resource"]["name"]
            for acl in spec["authorization"]["acls"]
            if "Write" in acl["operations"]
        }
        for name, spec in users.items()
    }
    intake = next(n for n in users if n.endswith("-intake"))
    orchestrator = next(n for n in users if n.endswith("-orchestrator"))
    assert users[intake]["authentication"] == {"type": "scram-sha-512"}
    assert "prod.intake.dossier.events" in writes[intake]
    assert "prod.intake.dossier.events" not in writes[orchestrator]
    assert "prod.intake.dossier.events.dlq" in writes[orchestrator]
    groups = [
        acl["resource"]
        for acl in users[orchestrator]["authorization"]["acls"]
        if acl["resource"]["type"] == "group"
    ]
    assert groups == [{"type": "group", "name": "p06-orchestrator", "patternType": "prefix"}]


def test_strimzi_mode_without_a_topic_list_refuses_to_render() -> None:
    with pytest.raises(HelmError, match="lienthong ops topic-values"):
        render({"topics": {"strimzi": {"enabled": True}}})


@pytest.mark.parametrize(
    "values",
    [
        {"environment": "staging"},
        {"kafka": {"securityProtocol": "SASL"}},
        {"secrets": {"subjectIdKey": "changeme"}},
        {"default": {"securityContext": {"readOnlyRootFilesystem": False}}},
        {"components": {"intake": {"replicaz": 2}}},
    ],
)
def test_values_schema_rejects_unsafe_or_misspelt_values(values: dict[str, Any]) -> None:
    with Chart.load(CHART) as chart, pytest.raises(HelmValuesError, match="schema"):
        chart.render(values, name="p06", namespace="lienthong")


def test_sasl_without_a_password_refuses_to_render() -> None:
    with pytest.raises(HelmError, match="kafkaSaslPassword"):
        render({"kafka": {"securityProtocol": "SASL_SSL", "saslMechanism": "SCRAM-SHA-512"}})


def test_every_value_is_documented_with_a_param_line() -> None:
    text = (CHART / "values.yaml").read_text()
    documented = {line.split()[2] for line in text.splitlines() if line.startswith("## @param ")}
    with Chart.load(CHART) as chart:
        values = chart.values
    for key, value in values.items():
        if key in {"components"}:
            continue
        leaves = (
            [f"{key}.{k}" for k in value] if isinstance(value, dict) and key != "default" else [key]
        )
        for leaf in leaves:
            assert (
                leaf in documented
                or leaf.rsplit(".", 1)[0] in documented
                or any(d.startswith(leaf + ".") for d in documented)
            ), leaf


def test_national_install_grows_topics_to_the_partitions_its_workers_may_scale_to() -> None:
    values = ci_values(CHART / "ci" / "national-values.yaml")
    documents = render(values)
    job = as_model(next(of_kind(documents, "Job")))
    topics = next(c for c in job.spec.template.spec.init_containers if c.name == "topics")
    partitions = int(topics.args[topics.args.index("--min-partitions") + 1])
    hpas = [as_model(d) for d in of_kind(documents, "HorizontalPodAutoscaler")]
    assert hpas
    for hpa in hpas:
        assert 2 <= hpa.spec.min_replicas <= hpa.spec.max_replicas <= partitions
