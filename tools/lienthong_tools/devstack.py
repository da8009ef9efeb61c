"""Runs the whole platform as real processes on this machine: for e2e tests and benchmarks.

Why this exists: the black-box tests and ``make bench`` need every service running against
the real broker and PostgreSQL, isolated from a ``make run`` on the same machine. A stack
gets its own topic prefix, consumer-group prefix, databases and ports, so several stacks
(and their history) never mix.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.util
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from lienthong.auth import Role, issue_token
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.provision import admin_client, provision_topics
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong.personal.master import new_master_key_entry

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PG = "postgresql://lienthong:lienthong@127.0.0.1:55432"
DEFAULT_KAFKA = "127.0.0.1:9092"
KEYS_DATABASE = "keys"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    port: int
    database: str


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("intake", "intake", 8001, "intake"),
    ServiceSpec("digitization", "digitization", 8002, "digitization"),
    ServiceSpec("identity", "identity", 8003, "identity"),
    ServiceSpec("orchestrator", "orchestrator", 8004, "orchestrator"),
    ServiceSpec("reporting", "reporting", 8005, "reporting"),
    ServiceSpec("population_registry", "population_registry", 8101, "population_registry"),
    ServiceSpec("civil_registry", "civil_registry", 8102, "civil_registry"),
    ServiceSpec("residence", "residence", 8103, "residence"),
    ServiceSpec("insurance", "insurance", 8104, "insurance"),
    ServiceSpec("welfare", "welfare", 8105, "welfare"),
    ServiceSpec("national_portal", "national_portal", 8106, "national_portal"),
)


def runnable_services() -> tuple[ServiceSpec, ...]:
    """The services whose package has a ``__main__`` (reference systems arrive one by one)."""
    return tuple(
        s for s in SERVICES if importlib.util.find_spec(f"{s.module}.__main__") is not None
    )


def pg_base() -> str:
    return os.environ.get("LIENTHONG_PG_URL", DEFAULT_PG)


def kafka_bootstrap() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)


@dataclass
class ServiceProcess:
    spec: ServiceSpec
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it until it exits
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.spec.module],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )

    def kill(self) -> None:
        """SIGKILL: a crash, no chance to commit or flush anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    async def wait_ready(self, timeout: float | None = None) -> None:
        # A shared, loaded machine starts eleven processes slowly: the limit is configurable.
        if timeout is None:
            timeout = float(os.environ.get("LIENTHONG_STACK_READY_TIMEOUT", "120"))
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process and self.process.poll() is not None:
                    raise RuntimeError(f"{self.spec.name} exited; see {self.log_path}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.url + "/readyz", timeout=2)).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise TimeoutError(f"{self.spec.name} not ready after {timeout}s; see {self.log_path}")


@dataclass
class Stack:
    """One isolated copy of the platform."""

    name: str = field(default_factory=lambda: "s" + uuid.uuid4().hex[:8])
    port_base: int = 18000
    #: Seconds each process may take to answer /readyz; None: ``wait_ready``'s default.
    ready_timeout: float | None = None
    jwt_secret: str = "dev-stack-jwt-secret-0123456789abcdef"
    subject_key: str = "dev-stack-subject-key-0123456789"
    master_keys: str = field(default_factory=lambda: new_master_key_entry(1))
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, ServiceProcess] = field(default_factory=dict)

    @property
    def topic_prefix(self) -> str:
        return f"{self.name}."

    @property
    def log_dir(self) -> Path:
        path = REPO / ".local" / "stacks" / self.name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def database_url(self, spec: ServiceSpec) -> str:
        return f"{pg_base()}/{self.name}_{spec.database}"

    def token(
        self,
        role: Role,
        agency: str | None = None,
        unit: str | None = None,
        subject: str | None = None,
    ) -> str:
        """A token; a citizen's ``subject`` is their ID number (as an e-identity names them)."""
        return issue_token(
            self.jwt_secret,
            subject=subject or f"{role.value}-1",
            role=role,
            agency=agency,
            unit=unit,
        )

    def topic(self, name: str) -> str:
        return self.topic_prefix + name

    @property
    def keys_database_url(self) -> str:
        """The key service's database (citizens' wrapped data keys) of this stack."""
        return f"{pg_base()}/{self.name}_{KEYS_DATABASE}"

    def _databases(self) -> list[str]:
        return [spec.database for spec in runnable_services()] + [KEYS_DATABASE]

    async def create_databases(self) -> None:
        conn = await asyncpg.connect(f"{pg_base()}/postgres")
        try:
            for database in self._databases():
                await conn.execute(f'CREATE DATABASE "{self.name}_{database}"')
        finally:
            await conn.close()

    async def drop_databases(self) -> None:
        conn = await asyncpg.connect(f"{pg_base()}/postgres")
        try:
            for database in self._databases():
                await conn.execute(f'DROP DATABASE IF EXISTS "{self.name}_{database}" WITH (FORCE)')
        finally:
            await conn.close()

    def provision_topics(self) -> list[str]:
        catalog = load_catalog(load_schema_set(default_schemas_dir()))
        topics = [dataclasses.replace(t, name=self.topic(t.name)) for t in catalog.all_topics()]
        provision_topics(admin_client(kafka_bootstrap()), topics)
        return [t.name for t in topics]

    def delete_topics(self) -> None:
        admin = admin_client(kafka_bootstrap())
        names = [n for n in admin.list_topics(timeout=10).topics if n.startswith(self.topic_prefix)]
        if names:
            for future in admin.delete_topics(names, operation_timeout=30).values():
                with contextlib.suppress(Exception):
                    future.result(30)

    def env_for(self, spec: ServiceSpec, port: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "KAFKA_"))}
        env.update(
            {
                "LIENTHONG_ENV": "test",
                "OTEL_SERVICE_NAME": spec.name,
                "DATABASE_URL": self.database_url(spec),
                "HTTP_PORT": str(port),
                "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
                "KAFKA_TOPIC_PREFIX": self.topic_prefix,
                "KAFKA_GROUP_PREFIX": self.topic_prefix,
                "SUBJECT_ID_KEY": self.subject_key,
                "AUTH_JWT_SECRET": self.jwt_secret,
                "KEYS_DATABASE_URL": self.keys_database_url,
                "PERSONAL_DATA_MASTER_KEYS": self.master_keys,
                "PYTHONUNBUFFERED": "1",
            }
        )
        if spec.name == "reporting":
            # The dashboard signs in through the local dev provider (tests only, never prod).
            env["DEV_IDENTITY_PROVIDER"] = "1"
        env.update(self.extra_env)
        return env

    async def start(self, only: tuple[str, ...] | None = None) -> None:
        for i, spec in enumerate(runnable_services()):
            if only is not None and spec.name not in only:
                continue
            port = self.port_base + i
            proc = ServiceProcess(
                spec, port, self.env_for(spec, port), self.log_dir / f"{spec.name}.log"
            )
            proc.start()
            self.processes[spec.name] = proc
        await asyncio.gather(*(p.wait_ready(self.ready_timeout) for p in self.processes.values()))

    async def restart(self, name: str) -> None:
        proc = self.processes[name]
        proc.start()
        await proc.wait_ready(self.ready_timeout)

    def stop(self) -> None:
        for proc in self.processes.values():
            proc.stop()

    def url(self, name: str) -> str:
        return self.processes[name].url

    async def __aenter__(self) -> Stack:
        await self.create_databases()
        await asyncio.to_thread(self.provision_topics)
        try:
            await self.start()
        except BaseException:  # no __aexit__ after a failed __aenter__: clean up here
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()
        if os.environ.get("LIENTHONG_KEEP_STACK") != "1":
            await self.drop_databases()
            await asyncio.to_thread(self.delete_topics)
