-- Death and civil-status bundles, per-step deadlines, retries and the full history.
ALTER TABLE bundles
    ADD COLUMN data jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN dossier_code text,
    ADD COLUMN breach_reported_at timestamptz;
CREATE INDEX bundles_open_deadlines ON bundles (deadline_at)
    WHERE completed_at IS NULL AND breach_reported_at IS NULL;
CREATE INDEX bundles_by_code ON bundles (dossier_code);

ALTER TABLE bundle_steps
    ADD COLUMN attempts int NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN deadline_at timestamptz,
    ADD COLUMN breach_reported_at timestamptz;
CREATE INDEX steps_waiting ON bundle_steps (next_attempt_at) WHERE status = 'requested';

-- Everything that happened to a bundle, in order: steps, failures, breaches, officers' acts.
CREATE TABLE bundle_history (
    entry_id   bigserial PRIMARY KEY,
    bundle_id  uuid NOT NULL REFERENCES bundles (bundle_id),
    at         timestamptz NOT NULL,
    kind       text NOT NULL,
    step       text,
    detail     text,
    actor      text
);
CREATE INDEX bundle_history_by_bundle ON bundle_history (bundle_id, entry_id);
