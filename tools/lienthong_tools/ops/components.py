"""The deployable components of the platform, derived from the service list and the catalog.

Why this exists: every deployment target (compose, Helm, the ``ops status`` command) must
agree on the same processes. A component consumes the topics the catalog names it as a
consumer of; a component that consumes anything is a *stream worker* (it scales with
partitions, needs a disruption budget and has a consumer group to watch for lag).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from pydantic_settings import BaseSettings

from lienthong.contracts.catalog import Catalog, load_catalog
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong.settings import KafkaSettings, ServiceSettings
from lienthong_tools.devstack import SERVICES, ServiceSpec

CONTAINER_HTTP_PORT = 8000
REFERENCE_AGENCY_PORT_FLOOR = 8100


@dataclass(frozen=True)
class Component:
    name: str
    module: str
    port: int
    database: str
    consumes: tuple[str, ...]

    @property
    def worker(self) -> bool:
        """Consumes Kafka topics: scaled by partitions, watched for lag."""
        return bool(self.consumes)

    @property
    def reference_agency(self) -> bool:
        return self.port >= REFERENCE_AGENCY_PORT_FLOOR

    @property
    def consumer_group(self) -> str:
        """The consumer group of its inbox consumer (the service's name, by convention)."""
        return self.name


def load_platform_catalog() -> Catalog:
    return load_catalog(load_schema_set(default_schemas_dir()))


def components(
    catalog: Catalog | None = None, services: tuple[ServiceSpec, ...] = SERVICES
) -> list[Component]:
    catalog = catalog or load_platform_catalog()
    return [
        Component(
            name=spec.name,
            module=spec.module,
            port=spec.port,
            database=spec.database,
            consumes=tuple(t.name for t in catalog.topics_consumed_by(spec.name)),
        )
        for spec in services
    ]


def component(name: str, catalog: Catalog | None = None) -> Component:
    for found in components(catalog):
        if found.name == name:
            return found
    known = ", ".join(c.name for c in components(catalog))
    raise LookupError(f"unknown component {name!r}; known: {known}")


def settings_class(comp: Component) -> type[ServiceSettings]:
    """The component's settings class (``<module>.config``), else the platform's base."""
    try:
        module = importlib.import_module(f"{comp.module}.config")
    except ModuleNotFoundError:
        return ServiceSettings
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
    ]
    return found[0] if found else ServiceSettings


def env_name(settings: type[BaseSettings], field_name: str) -> str:
    """The environment variable that sets ``field_name`` (alias, else the upper-case name)."""
    info = settings.model_fields[field_name]
    alias = info.validation_alias
    if isinstance(alias, str):
        return alias
    prefix = str(settings.model_config.get("env_prefix", ""))
    return (prefix + field_name).upper()


def required_env(comp: Component) -> set[str]:
    """Variables a process of this component cannot start without."""
    settings = settings_class(comp)
    required = {
        env_name(settings, name)
        for name, info in settings.model_fields.items()
        if info.is_required()
    }
    required |= {
        env_name(KafkaSettings, name)
        for name, info in KafkaSettings.model_fields.items()
        if info.is_required()
    }
    required.discard(env_name(settings, "kafka"))
    return required


def state_dirs(comp: Component) -> dict[str, str]:
    """Settings that name a local directory the process writes (``*_dir``): env → mount path."""
    settings = settings_class(comp)
    return {
        env_name(settings, name): f"/var/lib/lienthong/{comp.name}/{name.removesuffix('_dir')}"
        for name in settings.model_fields
        if name.endswith("_dir")
    }
