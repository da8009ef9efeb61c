"""Kubernetes tooling: an auditor's replay as a Job, rollout status and consumer lag.

Why this exists: operators run the platform through the Helm chart; these are the two
questions they ask most ("is the rollout done?", "is anything falling behind?") and the one
audit action that must run inside the cluster (it needs the broker's private address and
credentials). Objects are built as ``kubernetes`` client models from the chart's own names
and labels, so what this creates looks like what the chart deploys.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]
from kubernetes import client as k8s

from lienthong_tools.ops.components import Component

PART_OF = "lienthong"
INSTANCE_LABEL = "app.kubernetes.io/instance"
COMPONENT_LABEL = "app.kubernetes.io/component"
RUN_AS = 10001
_LABEL_VALUE = re.compile(r"[^A-Za-z0-9_.-]")


REPLAY_ACTIONS = ("rebuild", "verify-audit", "window")


@dataclass(frozen=True)
class ReplayRequest:
    """What an auditor asked for.

    ``rebuild``: reporting rebuilds its projection from offset 0 into a new version and
    switches only if it equals the live one (``lienthong replay run``); ``verify-audit``:
    check reporting's hash-chained audit trail; ``window``: list the envelopes of a time
    window straight from the log (``lienthong replay window``).
    """

    release: str
    namespace: str
    requested_by: str
    action: str = "rebuild"
    topics: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    switch_if_different: bool = False
    ttl_seconds: int = 7 * 24 * 3600

    def args(self) -> list[str]:
        if self.action not in REPLAY_ACTIONS:
            raise ValueError(f"action must be one of {', '.join(REPLAY_ACTIONS)}")
        if self.action == "rebuild":
            args = ["replay", "run", "--no-progress"]
            return args + (["--switch-if-different"] if self.switch_if_different else [])
        if self.action == "verify-audit":
            return ["replay", "verify-audit"]
        if not self.topics:
            raise ValueError("a window replay needs at least one topic")
        args = ["replay", "window"]
        for topic in self.topics:
            args += ["--topic", topic]
        if self.since is not None:
            args += ["--since", self.since.isoformat()]
        if self.until is not None:
            args += ["--until", self.until.isoformat()]
        return args


def _label(value: str) -> str:
    return _LABEL_VALUE.sub("-", value)[:63].strip("-._") or "unknown"


def reporting_deployment_name(release: str) -> str:
    return f"{release}-reporting"


def replay_job(
    request: ReplayRequest, template: k8s.V1Container, *, suffix: str | None = None
) -> k8s.V1Job:
    """A Job running the replay with the image, settings and secrets of ``template``.

    ``template`` is reporting's container as the chart deployed it: the replay then reads
    the same topics (prefix included) and writes the same database with the same secrets.
    """
    args = request.args()
    name = f"{request.release}-replay-{suffix or uuid.uuid4().hex[:8]}"[:63]
    labels = {
        "app.kubernetes.io/name": "lienthong",
        "app.kubernetes.io/part-of": PART_OF,
        INSTANCE_LABEL: request.release,
        COMPONENT_LABEL: "replay",
        "lienthong.vn/replay-action": request.action,
        "lienthong.vn/requested-by": _label(request.requested_by),
    }
    env = [e for e in (template.env or []) if e.name not in {"HTTP_PORT"}]
    container = k8s.V1Container(
        name="replay",
        image=template.image,
        image_pull_policy=template.image_pull_policy,
        command=["lienthong"],
        args=args,
        env=env,
        env_from=template.env_from,
        resources=k8s.V1ResourceRequirements(
            requests={"cpu": "100m", "memory": "256Mi"},
            limits={"cpu": "1", "memory": "512Mi"},
        ),
        security_context=k8s.V1SecurityContext(
            run_as_non_root=True,
            run_as_user=RUN_AS,
            allow_privilege_escalation=False,
            read_only_root_filesystem=True,
            capabilities=k8s.V1Capabilities(drop=["ALL"]),
        ),
        volume_mounts=[k8s.V1VolumeMount(name="tmp", mount_path="/tmp")],
    )
    return k8s.V1Job(
        api_version="batch/v1",
        kind="Job",
        metadata=k8s.V1ObjectMeta(
            name=name,
            namespace=request.namespace,
            labels=labels,
            annotations={"lienthong.vn/requested-by": request.requested_by},
        ),
        spec=k8s.V1JobSpec(
            backoff_limit=0,
            ttl_seconds_after_finished=request.ttl_seconds,
            template=k8s.V1PodTemplateSpec(
                metadata=k8s.V1ObjectMeta(labels=labels),
                spec=k8s.V1PodSpec(
                    restart_policy="Never",
                    automount_service_account_token=False,
                    enable_service_links=False,
                    security_context=k8s.V1PodSecurityContext(
                        run_as_non_root=True,
                        run_as_user=RUN_AS,
                        seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault"),
                    ),
                    containers=[container],
                    volumes=[
                        k8s.V1Volume(
                            name="tmp", empty_dir=k8s.V1EmptyDirVolumeSource(size_limit="64Mi")
                        )
                    ],
                ),
            ),
        ),
    )


def reporting_container(apps: k8s.AppsV1Api, namespace: str, release: str) -> k8s.V1Container:
    """Reporting's container as deployed: the template of a replay Job."""
    deployment = apps.read_namespaced_deployment(reporting_deployment_name(release), namespace)
    if deployment.spec is None or deployment.spec.template.spec is None:
        raise LookupError(f"deployment {reporting_deployment_name(release)} has no pod spec")
    return deployment.spec.template.spec.containers[0]


def submit_replay(batch: k8s.BatchV1Api, job: k8s.V1Job) -> str:
    """Create the Job; returns its name."""
    assert job.metadata is not None and job.metadata.namespace is not None
    created = batch.create_namespaced_job(namespace=job.metadata.namespace, body=job)
    return str(created.metadata.name if created.metadata else job.metadata.name)


@dataclass(frozen=True)
class Rollout:
    component: str
    desired: int
    updated: int
    ready: int
    available: int
    current_generation: bool

    @property
    def complete(self) -> bool:
        """What ``kubectl rollout status`` waits for."""
        return (
            self.current_generation
            and self.updated >= self.desired
            and self.available >= self.desired
            and self.ready >= self.desired
        )


def rollout_status(apps: k8s.AppsV1Api, namespace: str, release: str) -> list[Rollout]:
    deployments = apps.list_namespaced_deployment(
        namespace=namespace, label_selector=f"{INSTANCE_LABEL}={release}"
    )
    found = []
    for deployment in deployments.items:
        status = deployment.status or k8s.V1DeploymentStatus()
        meta = deployment.metadata or k8s.V1ObjectMeta()
        labels = meta.labels or {}
        replicas = deployment.spec.replicas if deployment.spec else None
        found.append(
            Rollout(
                component=str(labels.get(COMPONENT_LABEL, meta.name)),
                desired=replicas if replicas is not None else 1,
                updated=status.updated_replicas or 0,
                ready=status.ready_replicas or 0,
                available=status.available_replicas or 0,
                current_generation=(status.observed_generation or 0) >= (meta.generation or 0),
            )
        )
    return sorted(found, key=lambda r: r.component)


@dataclass(frozen=True)
class Lag:
    component: str
    group: str
    messages: int
    partitions: int
    committed: bool


def consumer_lag(
    admin: AdminClient,
    workers: Sequence[Component],
    *,
    topic_prefix: str = "",
    group_prefix: str = "",
    timeout_s: float = 15.0,
) -> list[Lag]:
    """Messages each worker's consumer group has still to apply, summed over its partitions."""
    metadata = admin.list_topics(timeout=timeout_s)
    results = []
    for comp in workers:
        if not comp.worker:
            continue
        group = group_prefix + comp.consumer_group
        partitions = [
            TopicPartition(topic_prefix + t, p)
            for t in comp.consumes
            if (topic_prefix + t) in metadata.topics
            for p in sorted(metadata.topics[topic_prefix + t].partitions)
        ]
        if not partitions:
            results.append(Lag(comp.name, group, 0, 0, committed=False))
            continue
        committed = _committed(admin, group, partitions, timeout_s)
        ends = _ends(admin, partitions, timeout_s)
        behind = 0
        for key, end in ends.items():
            position = committed.get(key, -1)
            behind += end - position if position >= 0 else end
        results.append(
            Lag(
                comp.name,
                group,
                behind,
                len(partitions),
                committed=any(v >= 0 for v in committed.values()),
            )
        )
    return results


def _committed(
    admin: AdminClient, group: str, partitions: list[TopicPartition], timeout_s: float
) -> dict[tuple[str, int], int]:
    futures = admin.list_consumer_group_offsets(
        [ConsumerGroupTopicPartitions(group, partitions)], request_timeout=timeout_s
    )
    offsets: dict[tuple[str, int], int] = {}
    for future in futures.values():
        answer = future.result(timeout_s)
        for tp in answer.topic_partitions or []:
            offsets[(tp.topic, tp.partition)] = tp.offset
    return offsets


def _ends(
    admin: AdminClient, partitions: list[TopicPartition], timeout_s: float
) -> dict[tuple[str, int], int]:
    futures = admin.list_offsets(
        {tp: OffsetSpec.latest() for tp in partitions},  # type: ignore[no-untyped-call]
        request_timeout=timeout_s,
    )
    return {(tp.topic, tp.partition): f.result(timeout_s).offset for tp, f in futures.items()}


def api_client(kubeconfig: str | None = None, context: str | None = None) -> k8s.ApiClient:
    """In-cluster credentials when running in a pod, else the kubeconfig."""
    from kubernetes import config

    try:
        config.load_incluster_config()  # type: ignore[no-untyped-call]
    except config.ConfigException:
        config.load_kube_config(  # type: ignore[no-untyped-call]
            config_file=kubeconfig, context=context
        )
    return k8s.ApiClient()


def to_dict(obj: Any) -> Mapping[str, Any]:
    """A client model as the API would receive it (camelCase, no nulls)."""
    result: Mapping[str, Any] = k8s.ApiClient().sanitize_for_serialization(  # type: ignore[no-untyped-call]
        obj
    )
    return result
