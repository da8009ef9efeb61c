-- The reference population register: one row per citizen.
CREATE TABLE citizens (
    id_number      char(12) PRIMARY KEY,
    subject_id     text NOT NULL UNIQUE,
    full_name      text NOT NULL,
    birth_date     date NOT NULL,
    gender         text NOT NULL,
    status         text NOT NULL DEFAULT 'alive',
    registered_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Issuance is idempotent per command: a repeated command gets the same number.
CREATE TABLE id_number_issuances (
    command_id      uuid PRIMARY KEY,
    provisional_subject_id text NOT NULL,
    id_number       char(12) NOT NULL REFERENCES citizens (id_number),
    issued_at       timestamptz NOT NULL
);
