-- The residence register's facts, as intake needs them to find a procedure's jurisdiction
-- (judicial-record certificates go to the Department of Justice of the applicant's
-- residence province; Residence Law 2020 forbids asking the citizen for proof). One row per
-- person and kind of residence, the latest by event time; ended ones keep their end.
CREATE TABLE residences (
    subject_id     text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('PERMANENT', 'TEMPORARY', 'OTHER')),
    residence_id   uuid NOT NULL,
    unit_code      text NOT NULL,
    registered_at  timestamptz NOT NULL,
    valid_until    date,
    ended_at       timestamptz,
    PRIMARY KEY (subject_id, kind)
);
