"""A separate local Kafka broker with SASL/SCRAM and ACLs (KRaft ``StandardAuthorizer``).

Why this exists: the shared development broker is PLAINTEXT without authorization (every
test and every developer uses it); enforcing "who may publish what" needs a broker that
authenticates each service principal and checks the catalog's ACLs. This starts one of
its own — other ports, data under ``.local/acl-broker/<name>`` — from the same jars
``scripts/kafka.sh fetch`` cached, gives every service a SCRAM-SHA-512 credential, and
applies :func:`lienthong.contracts.acls.service_acls`. It never touches the shared broker.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka.admin import AdminClient
from confluent_kafka.admin._acl import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
)
from confluent_kafka.admin._resource import ResourcePatternType, ResourceType
from confluent_kafka.cimpl import NewTopic

from lienthong.contracts.acls import Acl
from lienthong_tools.devstack import REPO

KAFKA_VERSION = os.environ.get("KAFKA_VERSION", "4.1.1")
ADMIN = "admin"
# librdkafka names Kafka's CLUSTER resource type BROKER (same wire code).
RESOURCES = {
    "topic": ResourceType.TOPIC,
    "group": ResourceType.GROUP,
    "cluster": ResourceType.BROKER,
}
OPERATIONS = {
    "Read": AclOperation.READ,
    "Write": AclOperation.WRITE,
    "Describe": AclOperation.DESCRIBE,
    "IdempotentWrite": AclOperation.IDEMPOTENT_WRITE,
}
MECHANISM = "SCRAM-SHA-512"


def kafka_libs() -> Path:
    cache = Path(os.environ.get("LIENTHONG_CACHE", Path.home() / ".cache" / "lienthong"))
    return cache / f"kafka-{KAFKA_VERSION}" / "libs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class AclBroker:
    """One SASL/SCRAM, ACL-enforcing single-node KRaft broker of its own."""

    principals: tuple[str, ...]
    name: str = field(default_factory=lambda: "acl-" + secrets.token_hex(4))
    port: int = field(default_factory=free_port)
    controller_port: int = field(default_factory=free_port)
    passwords: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def directory(self) -> Path:
        return REPO / ".local" / "acl-broker" / self.name

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client_config(self, principal: str) -> dict[str, Any]:
        return {
            "bootstrap.servers": self.bootstrap,
            "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanisms": MECHANISM,
            "sasl.username": principal,
            "sasl.password": self.passwords[principal],
        }

    def _config(self) -> str:
        jaas = (
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{ADMIN}" password="{self.passwords[ADMIN]}";'
        )
        return "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
                f"listeners=SASL_PLAINTEXT://127.0.0.1:{self.port},"
                f"CONTROLLER://127.0.0.1:{self.controller_port}",
                f"advertised.listeners=SASL_PLAINTEXT://127.0.0.1:{self.port}",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                f"sasl.enabled.mechanisms={MECHANISM}",
                f"sasl.mechanism.inter.broker.protocol={MECHANISM}",
                f"listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config={jaas}",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                # The controller listener is PLAINTEXT on loopback: its principal is ANONYMOUS.
                f"super.users=User:{ADMIN};User:ANONYMOUS",
                "allow.everyone.if.no.acl.found=false",
                f"log.dirs={self.directory / 'data'}",
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "",
            ]
        )

    def _java(self, *args: str) -> list[str]:
        return [
            shutil.which("java") or "java",
            "-Xmx256m",
            "-Xms128m",
            f"-Dlog4j2.configurationFile={self.directory / 'log4j2.xml'}",
            "-cp",
            f"{kafka_libs()}/*",
            *args,
        ]

    def start(self, timeout: float = 90.0) -> None:
        if not kafka_libs().exists():
            raise RuntimeError(f"no Kafka jars in {kafka_libs()}: run scripts/kafka.sh fetch")
        for principal in (ADMIN, *self.principals):
            self.passwords.setdefault(principal, secrets.token_urlsafe(18))
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "server.properties"
        config.write_text(self._config())
        (self.directory / "log4j2.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><Configuration status="WARN"><Appenders>'
            f'<File name="file" fileName="{self.directory / "broker.log"}">'
            '<PatternLayout pattern="[%d] %p %m (%c)%n"/></File></Appenders><Loggers>'
            '<Root level="WARN"><AppenderRef ref="file"/></Root></Loggers></Configuration>'
        )
        scram = [
            arg
            for principal, password in self.passwords.items()
            for arg in ("--add-scram", f"{MECHANISM}=[name={principal},password={password}]")
        ]
        cluster_id = subprocess.run(
            self._java("kafka.tools.StorageTool", "random-uuid"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run(
            self._java(
                "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config), *scram
            ),
            capture_output=True,
            check=True,
        )
        with (self.directory / "broker.out").open("ab") as out:
            self.process = subprocess.Popen(
                self._java("kafka.Kafka", str(config)),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        admin = self.admin()
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the ACL broker exited; see {self.directory}/broker.out")
            try:
                admin.list_topics(timeout=2)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def admin(self) -> AdminClient:
        return AdminClient(self.client_config(ADMIN))

    def create_topics(self, names: list[str]) -> None:
        admin = self.admin()  # kept alive until every future resolves
        futures = admin.create_topics([NewTopic(n, 1, 1) for n in names])
        for future in futures.values():
            future.result(30)

    def apply(self, acls: list[Acl]) -> None:
        bindings = [
            AclBinding(
                RESOURCES[acl.resource],
                acl.name,
                ResourcePatternType.PREFIXED
                if acl.pattern == "prefix"
                else ResourcePatternType.LITERAL,
                acl.principal,
                "*",
                AclOperation[
                    "IDEMPOTENT_WRITE"
                    if acl.operation == "IdempotentWrite"
                    else acl.operation.upper()
                ],
                AclPermissionType.ALLOW,
            )
            for acl in acls
        ]
        admin = self.admin()
        for future in admin.create_acls(bindings).values():
            future.result(30)
        # The controller has committed them; wait until the broker's authorizer holds them.
        everything = AclBindingFilter(
            ResourceType.ANY,
            None,  # type: ignore[arg-type]  # None matches any name, principal and host
            ResourcePatternType.ANY,
            None,  # type: ignore[arg-type]
            None,  # type: ignore[arg-type]
            AclOperation.ANY,
            AclPermissionType.ANY,
        )
        deadline = time.monotonic() + 30
        while len(admin.describe_acls(everything).result(10)) < len(set(bindings)):
            if time.monotonic() > deadline:
                raise TimeoutError("the broker did not take the ACLs within 30 s")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)
