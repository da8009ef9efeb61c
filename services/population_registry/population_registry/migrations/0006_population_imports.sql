-- Population extracts being loaded: how far each got (rows read, stored, refused by
-- reason), written in the same transaction as every stored batch, so an interrupted import
-- resumes after the last stored batch and never loads a row twice.
CREATE TABLE population_imports (
    import_id    text PRIMARY KEY,
    source       text NOT NULL,
    rows_read    bigint NOT NULL DEFAULT 0,
    rows_stored  bigint NOT NULL DEFAULT 0,
    refused      jsonb NOT NULL DEFAULT '{}'::jsonb,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz
);
