-- The portal's own copy of each dossier and its status history (no personal data).
CREATE TABLE portal_dossiers (
    dossier_id      uuid PRIMARY KEY,
    dossier_code    text NOT NULL UNIQUE,
    procedure_code  text NOT NULL,
    unit_code       text NOT NULL,
    status          text NOT NULL,
    appointment_at  timestamptz,
    overdue         boolean NOT NULL DEFAULT false,
    completed_on_time boolean,
    last_sequence   integer NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE portal_dossier_history (
    dossier_id   uuid NOT NULL,
    sequence     integer NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    status       text,
    detail       text,
    occurred_at  timestamptz NOT NULL,
    stored_at    timestamptz NOT NULL,
    PRIMARY KEY (dossier_id, sequence)
);
