CREATE TABLE dossiers (
    id                  uuid PRIMARY KEY,
    code                text NOT NULL UNIQUE,
    procedure_code      text NOT NULL,
    channel             text NOT NULL,
    unit_code           text NOT NULL,
    status              text NOT NULL,
    submitted_at        timestamptz NOT NULL,
    appointment_at      timestamptz NOT NULL,
    document_refs       text[] NOT NULL DEFAULT '{}',
    officer_id          text,
    idempotency_key     text UNIQUE,
    request_fingerprint text,
    recorded_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE dossier_persons (
    dossier_id  uuid NOT NULL REFERENCES dossiers (id),
    position    integer NOT NULL,
    role        text NOT NULL,
    subject_id  text NOT NULL,
    id_number   text,
    full_name   text NOT NULL,
    birth_date  date,
    gender      text,
    PRIMARY KEY (dossier_id, position)
);
CREATE INDEX dossier_persons_subject ON dossier_persons (subject_id);

CREATE TABLE dossier_sequences (
    unit_code   text NOT NULL,
    day         date NOT NULL,
    last_value  integer NOT NULL,
    PRIMARY KEY (unit_code, day)
);
