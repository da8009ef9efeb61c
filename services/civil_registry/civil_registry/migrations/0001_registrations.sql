-- The reference civil-status register (sổ hộ tịch): one row per registration.
CREATE TABLE registrations (
    registration_id    uuid PRIMARY KEY,
    kind               text NOT NULL,          -- birth, death, change
    certificate_number text NOT NULL UNIQUE,
    unit_code          text NOT NULL,
    subject_id         text NOT NULL,
    dossier_id         uuid,
    command_id         uuid UNIQUE,            -- the orchestrator command it answers, if any
    details            jsonb NOT NULL,
    registered_at      timestamptz NOT NULL
);
CREATE INDEX registrations_subject ON registrations (subject_id);

-- At most one death per person: the registry refuses a second one.
CREATE UNIQUE INDEX one_death_per_person ON registrations (subject_id) WHERE kind = 'death';

-- Certificate numbers run per unit, kind and year.
CREATE TABLE certificate_sequences (
    unit_code text NOT NULL,
    kind      text NOT NULL,
    year      int NOT NULL,
    last      int NOT NULL,
    PRIMARY KEY (unit_code, kind, year)
);

-- Refused commands, so a repeated command gets the same answer.
CREATE TABLE refusals (
    command_id      uuid PRIMARY KEY,
    registration_id uuid NOT NULL,
    reason          text NOT NULL,
    refused_at      timestamptz NOT NULL
);
