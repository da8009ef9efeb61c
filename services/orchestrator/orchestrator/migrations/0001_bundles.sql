-- Saga state of linked-procedure bundles.
CREATE TABLE bundles (
    bundle_id       uuid PRIMARY KEY,
    bundle_type     text NOT NULL,
    dossier_id      uuid NOT NULL UNIQUE,
    procedure_code  text NOT NULL,
    unit_code       text NOT NULL,
    subject_id      text NOT NULL,
    state           text NOT NULL,
    expected_subjects text[] NOT NULL,
    child           jsonb,
    started_at      timestamptz NOT NULL,
    deadline_at     timestamptz NOT NULL,
    completed_at    timestamptz
);

CREATE TABLE bundle_steps (
    bundle_id     uuid NOT NULL REFERENCES bundles (bundle_id),
    step          text NOT NULL,
    agency        text NOT NULL,
    command_id    uuid UNIQUE,
    status        text NOT NULL,
    requested_at  timestamptz,
    completed_at  timestamptz,
    detail        text,
    PRIMARY KEY (bundle_id, step)
);

-- Identity results by dossier, kept even when they arrive before the dossier's bundle.
CREATE TABLE identity_results (
    dossier_id  uuid NOT NULL,
    subject_id  text NOT NULL,
    role        text NOT NULL,
    verified    boolean NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dossier_id, subject_id)
);
