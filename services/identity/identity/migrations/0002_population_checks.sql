-- Where a verification came from: a dossier, or the civil-registry stream (reconciliation).
ALTER TABLE verifications ADD COLUMN source text NOT NULL DEFAULT 'dossier';
CREATE INDEX verifications_source_category ON verifications (source, category);

-- Checks waiting for the population registry's answer (request/reply over Kafka). The stated
-- data is kept only until the answer arrives; the row is deleted when the answer is applied,
-- so a redelivered or repeated answer finds nothing and changes nothing.
CREATE TABLE pending_checks (
    request_id   uuid PRIMARY KEY,
    dossier_id   uuid,
    source       text NOT NULL,
    subject_id   text NOT NULL,
    role         text NOT NULL,
    stated       jsonb NOT NULL,
    requested_at timestamptz NOT NULL
);

-- The officers' review queue of suspected duplicates. A pair of records has at most one
-- case (least/greatest subject id), so a cleared pair is not raised again.
CREATE TABLE review_cases (
    case_id              uuid PRIMARY KEY,
    subject_id           text NOT NULL,
    candidate_subject_id text NOT NULL,
    verification_id      uuid NOT NULL,
    name_score           double precision NOT NULL,
    reason               text NOT NULL,
    status               text NOT NULL DEFAULT 'OPEN',
    opened_at            timestamptz NOT NULL,
    decided_by           text,
    decided_by_unit      text,
    decided_at           timestamptz,
    pair_low             text GENERATED ALWAYS AS (LEAST(subject_id, candidate_subject_id)) STORED,
    pair_high            text GENERATED ALWAYS AS (GREATEST(subject_id, candidate_subject_id)) STORED,
    UNIQUE (pair_low, pair_high)
);
CREATE INDEX review_cases_status ON review_cases (status, opened_at);
