-- The reference health-insurance (BHYT) card register of BHXH.
CREATE TABLE cards (
    card_number  text PRIMARY KEY,
    subject_id   text NOT NULL,
    id_number    char(12) NOT NULL,
    full_name    text NOT NULL,
    birth_date   date NOT NULL,
    object_code  text NOT NULL,          -- TE: child under 6 (state-funded); GD, HT, ...: others
    valid_from   date NOT NULL,
    valid_until  date NOT NULL,
    status       text NOT NULL DEFAULT 'active',
    ended_on     date,
    end_reason   text,
    issued_at    timestamptz NOT NULL,
    command_id   uuid UNIQUE
);
-- One active card per person.
CREATE UNIQUE INDEX one_active_card ON cards (subject_id) WHERE status = 'active';
CREATE INDEX cards_by_id_number ON cards (id_number);

-- Commands already answered: a repeated command changes nothing.
CREATE TABLE handled_commands (
    command_id  uuid PRIMARY KEY,
    handled_at  timestamptz NOT NULL
);

-- Clinics' look-ups by ID number: how many, how many found a valid card (Project 06 figure).
CREATE TABLE lookups (
    lookup_id    bigserial PRIMARY KEY,
    looked_up_at timestamptz NOT NULL,
    found        boolean NOT NULL
);
