-- Read models. Each row is written in the same transaction as the consumer's inbox row and
-- partition position (see lienthong.inbox), so a redelivered event is never counted twice.
CREATE TABLE dossier_view (
    dossier_id      uuid PRIMARY KEY,
    dossier_code    text NOT NULL,
    procedure_code  text NOT NULL,
    channel         text NOT NULL,
    unit_code       text NOT NULL,
    submitted_at    timestamptz NOT NULL,
    identity_checks integer NOT NULL DEFAULT 0,
    identity_mismatches integer NOT NULL DEFAULT 0,
    bundle_id       uuid,
    bundle_type     text,
    bundle_status   text,
    bundle_started_at timestamptz,
    bundle_deadline_at timestamptz,
    bundle_completed_at timestamptz,
    bundle_on_time  boolean
);
CREATE INDEX dossier_view_unit ON dossier_view (unit_code, procedure_code);

CREATE TABLE dossier_counts (
    procedure_code text NOT NULL,
    channel        text NOT NULL,
    unit_code      text NOT NULL,
    dossiers       bigint NOT NULL,
    PRIMARY KEY (procedure_code, channel, unit_code)
);

CREATE TABLE identity_outcomes (
    outcome   text PRIMARY KEY,
    persons   bigint NOT NULL
);

CREATE TABLE bundle_counts (
    bundle_type text NOT NULL,
    unit_code   text NOT NULL,
    started     bigint NOT NULL DEFAULT 0,
    completed   bigint NOT NULL DEFAULT 0,
    on_time     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (bundle_type, unit_code)
);
