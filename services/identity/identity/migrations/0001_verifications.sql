-- One row per person checked; the history of findings, never overwritten.
CREATE TABLE verifications (
    verification_id uuid PRIMARY KEY,
    dossier_id      uuid,
    subject_id      text NOT NULL,
    role            text NOT NULL,
    verified        boolean NOT NULL,
    category        text,
    field_matches   jsonb NOT NULL,
    checked_at      timestamptz NOT NULL
);
CREATE INDEX verifications_subject ON verifications (subject_id);
CREATE INDEX verifications_dossier ON verifications (dossier_id);
