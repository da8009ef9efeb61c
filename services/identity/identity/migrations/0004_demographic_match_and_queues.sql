-- The population record a person without a usable number was matched to (DEMOGRAPHIC), or
-- that a suggested correction names.
ALTER TABLE verifications ADD COLUMN matched_subject_id text;

-- A review case may list the ranked candidates (with per-field scores) a person without a
-- usable number may be; its pair is then the two best candidates, so namesakes that cannot
-- be told apart are one case however many dossiers name them.
ALTER TABLE review_cases ADD COLUMN candidates jsonb NOT NULL DEFAULT '[]';

-- Every later check that found the pair of an existing case adds a reference, not a case.
CREATE TABLE review_case_references (
    case_id         uuid NOT NULL REFERENCES review_cases (case_id),
    verification_id uuid NOT NULL,
    dossier_id      uuid,
    referenced_at   timestamptz NOT NULL,
    PRIMARY KEY (case_id, verification_id)
);

-- The officers' correction queue: a likely data-entry error, the record it names and the
-- suggested values. One case per person, record and suggestion; later checks add references.
CREATE TABLE correction_cases (
    case_id           uuid PRIMARY KEY,
    subject_id        text NOT NULL,
    record_subject_id text NOT NULL,
    verification_id   uuid NOT NULL,
    dossier_id        uuid,
    corrections       jsonb NOT NULL,
    corrections_key   text NOT NULL,
    score             double precision NOT NULL,
    status            text NOT NULL DEFAULT 'OPEN',
    opened_at         timestamptz NOT NULL,
    decided_by        text,
    decided_by_unit   text,
    decided_at        timestamptz,
    UNIQUE (subject_id, record_subject_id, corrections_key)
);
CREATE INDEX correction_cases_status ON correction_cases (status, opened_at);

CREATE TABLE correction_case_references (
    case_id         uuid NOT NULL REFERENCES correction_cases (case_id),
    verification_id uuid NOT NULL,
    dossier_id      uuid,
    referenced_at   timestamptz NOT NULL,
    PRIMARY KEY (case_id, verification_id)
);
