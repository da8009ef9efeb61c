-- Status lifecycle, documents, deadline timer and national-portal sync state.
ALTER TABLE dossiers
    ADD COLUMN event_sequence         integer NOT NULL DEFAULT 1,
    ADD COLUMN status_changed_at      timestamptz,
    ADD COLUMN latest_appointment_at  timestamptz,
    ADD COLUMN completed_at           timestamptz,
    ADD COLUMN overdue_flagged_at     timestamptz,
    ADD COLUMN documents_itemized     boolean NOT NULL DEFAULT false,
    ADD COLUMN portal_synced_sequence integer NOT NULL DEFAULT 0,
    ADD COLUMN portal_synced_at       timestamptz;

-- The deadline timer scans only open dossiers not yet flagged, by deadline.
CREATE INDEX dossiers_deadline_watch ON dossiers (appointment_at)
    WHERE overdue_flagged_at IS NULL
      AND status IN ('received', 'acknowledged', 'in_processing', 'supplement_requested',
                     'resubmitted');

CREATE TABLE dossier_documents (
    dossier_id  uuid NOT NULL REFERENCES dossiers (id),
    position    integer NOT NULL,
    code        text NOT NULL,
    ref         text NOT NULL,
    PRIMARY KEY (dossier_id, position)
);

-- Every officer action, in order; corrections are rows of their own, never updates.
CREATE TABLE dossier_status_changes (
    change_id          uuid PRIMARY KEY,
    dossier_id         uuid NOT NULL REFERENCES dossiers (id),
    sequence           integer NOT NULL,
    action             text NOT NULL,
    from_status        text NOT NULL,
    to_status          text NOT NULL,
    occurred_at        timestamptz NOT NULL,
    recorded_at        timestamptz NOT NULL,
    officer_id         text,
    officer_unit_code  text,
    reason             text,
    new_appointment_at timestamptz,
    correction_of      uuid REFERENCES dossier_status_changes (change_id),
    UNIQUE (dossier_id, sequence)
);
