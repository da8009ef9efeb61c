-- Bulk reconciliation of an agency dataset (e.g. a vaccination register): one job, its rows
-- as received (idempotent per row number, so an interrupted upload resumes), and each row's
-- outcome once its check is concluded. No personal data is kept here: the stated data waits
-- in pending_checks only until the registry answers.
CREATE TABLE bulk_jobs (
    job_id      uuid PRIMARY KEY,
    dataset     text NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE bulk_rows (
    job_id      uuid NOT NULL REFERENCES bulk_jobs (job_id),
    row_no      integer NOT NULL,
    outcome     text,
    category    text,
    received_at timestamptz NOT NULL,
    concluded_at timestamptz,
    PRIMARY KEY (job_id, row_no)
);

ALTER TABLE pending_checks ADD COLUMN job_id uuid, ADD COLUMN row_no integer;
