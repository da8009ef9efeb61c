-- Projection versions (blue/green): each version is a schema holding one append-only fact
-- table. The live consumer writes every fact into the live version and into any version
-- being rebuilt; a replay fills a new version from offset 0 and then switches it live.
CREATE TABLE projection_versions (
    version     integer PRIMARY KEY,
    schema_name text NOT NULL UNIQUE CHECK (schema_name ~ '^projection_v[0-9]+$'),
    state       text NOT NULL CHECK (state IN ('building', 'live', 'retired')),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    switched_at timestamptz
);
CREATE UNIQUE INDEX projection_versions_one_live ON projection_versions ((true))
    WHERE state = 'live';

-- The one definition of a version's tables, so a replay creates nothing ad hoc.
CREATE FUNCTION create_projection_version(v integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    s text := 'projection_v' || v;
BEGIN
    EXECUTE format('CREATE SCHEMA %I', s);
    EXECUTE format($t$CREATE TABLE %I.facts (
        event_id       text PRIMARY KEY,
        kind           text NOT NULL,
        event_time     timestamptz NOT NULL,
        recorded_at    timestamptz NOT NULL,
        dossier_id     uuid,
        bundle_id      uuid,
        unit_code      text,
        procedure_code text,
        channel        text,
        category       text,
        flag           boolean,
        duration_s     double precision,
        seq            integer,
        reference      text)$t$, s);
    EXECUTE format('CREATE INDEX ON %I.facts (kind, event_time)', s);
    EXECUTE format('CREATE INDEX ON %I.facts (dossier_id)', s);
    EXECUTE format('CREATE INDEX ON %I.facts (bundle_id)', s);
    INSERT INTO projection_versions (version, schema_name, state) VALUES (v, s, 'building');
    RETURN s;
END
$$;

SELECT create_projection_version(1);
UPDATE projection_versions SET state = 'live', switched_at = clock_timestamp() WHERE version = 1;

-- The audit trail: every consumed event, hash-chained in the order it was applied.
CREATE TABLE audit_log (
    seq             bigint PRIMARY KEY,
    event_id        text NOT NULL,
    event_type      text NOT NULL,
    topic           text NOT NULL,
    event_time      timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    source          text NOT NULL,
    actor           text,
    subjects        text[] NOT NULL,
    dossier_id      text,
    body            jsonb NOT NULL,
    prev_hash       text NOT NULL,
    hash            text NOT NULL
);
CREATE INDEX audit_log_subjects ON audit_log USING gin (subjects);
CREATE INDEX audit_log_dossier ON audit_log (dossier_id);

-- The chain head: one row, locked by each append (it serialises the chain).
CREATE TABLE audit_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint NOT NULL,
    hash     text NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, repeat('0', 64));

CREATE TABLE audit_checkpoints (
    seq        bigint PRIMARY KEY,
    hash       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
