"""Event contracts: the Avro schemas and topic catalog in ``schemas/``, and what is built on them.

Why this exists: ``schemas/`` is the platform's schema registry and topic registry. This
package is the one way code reads it — loading and validating schemas, validating the topic
catalog, provisioning topics. The build-time checks (FULL_TRANSITIVE compatibility, the
AsyncAPI document) are tools: ``lienthong_tools.contracts``.
"""

from lienthong.contracts.catalog import (
    Catalog,
    CatalogError,
    Topic,
    UnknownTopicError,
    dead_letter_topic_for,
    default_catalog_path,
    load_catalog,
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
    "PartitionIncrease",
    "ProvisionError",
    "ProvisionReport",
    "SchemaSet",
    "SchemaValidationError",
    "Topic",
    "UnknownEventTypeError",
    "UnknownTopicError",
    "admin_client",
    "dead_letter_topic_for",
    "default_catalog_path",
    "default_schemas_dir",
    "load_catalog",
    "load_schema_set",
    "provision_topics",
]
