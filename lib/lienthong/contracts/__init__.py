"""Event contracts: the Avro schemas and topic catalog in ``schemas/``, and what is built on them.

Why this exists: ``schemas/`` is the platform's schema registry and topic registry. This
package is the one way code reads it — loading and validating schemas, checking that schema
versions stay FULL_TRANSITIVE compatible, validating the topic catalog, provisioning topics
and generating the AsyncAPI document for agency integrators.
"""

from lienthong.contracts.asyncapi import build_asyncapi, default_asyncapi_path, render_asyncapi
from lienthong.contracts.catalog import (
    Catalog,
    CatalogError,
    Topic,
    UnknownTopicError,
    dead_letter_topic_for,
    default_catalog_path,
    load_catalog,
)
from lienthong.contracts.compatibility import (
    CompatibilityProblem,
    check_compatibility,
    check_event_versions,
)
from lienthong.contracts.provision import (
    PartitionIncrease,
    ProvisionError,
    ProvisionReport,
    admin_client,
    provision_topics,
)
from lienthong.contracts.schemas import (
    SchemaSet,
    SchemaValidationError,
    UnknownEventTypeError,
    default_schemas_dir,
    load_schema_set,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "CompatibilityProblem",
    "PartitionIncrease",
    "ProvisionError",
    "ProvisionReport",
    "SchemaSet",
    "SchemaValidationError",
    "Topic",
    "UnknownEventTypeError",
    "UnknownTopicError",
    "admin_client",
    "build_asyncapi",
    "check_compatibility",
    "check_event_versions",
    "dead_letter_topic_for",
    "default_asyncapi_path",
    "default_catalog_path",
    "default_schemas_dir",
    "load_catalog",
    "load_schema_set",
    "provision_topics",
    "render_asyncapi",
]
