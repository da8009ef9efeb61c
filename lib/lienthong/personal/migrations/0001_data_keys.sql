-- The key service's database: citizens' data keys, wrapped by a key-encryption key (KEK),
-- the erasures that destroyed some of them, and who unwrapped what.
CREATE TABLE data_keys (
    subject_id  text PRIMARY KEY,
    key_id      bytea NOT NULL,
    kek_version integer NOT NULL,
    wrapped     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rewrapped_at timestamptz
);
CREATE INDEX data_keys_by_kek_version ON data_keys (kek_version);

CREATE TABLE erasures (
    erasure_id        uuid PRIMARY KEY,
    subject_id        text NOT NULL,
    requested_by      text NOT NULL,
    requested_by_unit text,
    legal_basis       text NOT NULL,
    reason            text NOT NULL,
    keys_destroyed    integer NOT NULL,
    erased_at         timestamptz NOT NULL
);
CREATE INDEX erasures_by_subject ON erasures (subject_id);

-- One row per service, action and subject on a cache miss (the cache serves the rest):
-- who created, unwrapped, rewrapped or erased which citizen's key, when, and why.
CREATE TABLE key_access (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    service    text NOT NULL,
    action     text NOT NULL,
    purpose    text NOT NULL,
    subject_id text NOT NULL
);
CREATE INDEX key_access_by_subject ON key_access (subject_id, at);
