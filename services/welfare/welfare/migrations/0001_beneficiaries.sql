-- The reference welfare register (LĐTBXH): beneficiaries, their recurring payments,
-- payments made, decisions on death and overpayments to recover.
CREATE TABLE beneficiaries (
    beneficiary_id     uuid PRIMARY KEY,
    subject_id         text NOT NULL UNIQUE,
    category           text NOT NULL,   -- SOCIAL_PROTECTION, MERITORIOUS_PERSON
    monthly_amount_vnd bigint NOT NULL,
    status             text NOT NULL DEFAULT 'active',   -- active, deceased
    date_of_death      date,
    enrolled_at        timestamptz NOT NULL
);

CREATE TABLE recurring_payments (
    beneficiary_id  uuid PRIMARY KEY REFERENCES beneficiaries (beneficiary_id),
    amount_vnd      bigint NOT NULL,
    status          text NOT NULL DEFAULT 'active',      -- active, stopped
    stopped_from    date,
    stopped_at      timestamptz
);

CREATE TABLE payments (
    payment_id      uuid PRIMARY KEY,
    beneficiary_id  uuid NOT NULL REFERENCES beneficiaries (beneficiary_id),
    paid_on         date NOT NULL,
    amount_vnd      bigint NOT NULL,
    recorded_at     timestamptz NOT NULL
);

CREATE TABLE overpayments (
    payment_id      uuid PRIMARY KEY REFERENCES payments (payment_id),
    subject_id      text NOT NULL,
    amount_vnd      bigint NOT NULL,
    paid_on         date NOT NULL,
    recorded_at     timestamptz NOT NULL,
    recovered       boolean NOT NULL DEFAULT false
);

CREATE TABLE decisions (
    command_id   uuid NOT NULL,
    kind         text NOT NULL,       -- FUNERAL_ALLOWANCE, SURVIVOR_BENEFIT
    subject_id   text NOT NULL,
    eligible     boolean NOT NULL,
    amount_vnd   bigint NOT NULL,
    basis        text NOT NULL,
    decided_at   timestamptz NOT NULL,
    PRIMARY KEY (command_id, kind)
);
-- One decision of each kind per deceased person, whatever command asks again.
CREATE UNIQUE INDEX one_decision_per_person ON decisions (subject_id, kind);

CREATE TABLE handled_commands (
    command_id  uuid PRIMARY KEY,
    handled_at  timestamptz NOT NULL
);
