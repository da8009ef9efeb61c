-- The reference permanent-residence register (Police).
CREATE TABLE residences (
    residence_id    uuid PRIMARY KEY,
    subject_id      text NOT NULL,
    unit_code       text NOT NULL,
    address         text,
    address_pending boolean NOT NULL DEFAULT false,
    basis           text NOT NULL,      -- OFFICER, PARENT_RESIDENCE, BIRTH_REGISTRATION_UNIT
    status          text NOT NULL DEFAULT 'active',
    registered_at   timestamptz NOT NULL,
    removed_at      timestamptz,
    removed_from    date,
    removed_reason  text
);
-- A person has at most one permanent residence.
CREATE UNIQUE INDEX one_permanent_residence ON residences (subject_id) WHERE status = 'active';

-- Particulars (name, birth date, gender) as last changed by a civil-status change.
CREATE TABLE resident_particulars (
    subject_id  text NOT NULL,
    field       text NOT NULL,
    value       text NOT NULL,
    effective   date NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (subject_id, field)
);

-- Commands already answered: a repeated command changes nothing.
CREATE TABLE handled_commands (
    command_id  uuid PRIMARY KEY,
    outcome     text NOT NULL,
    handled_at  timestamptz NOT NULL
);
