-- Every read of personal data through an API: who read, what, and for what purpose
-- (Decree 13/2023/ND-CP). Kept next to the data it describes, in each service's database.
CREATE TABLE IF NOT EXISTS personal_data_reads (
    read_id       bigserial PRIMARY KEY,
    read_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    reader        text NOT NULL,
    reader_role   text NOT NULL,
    reader_agency text,
    reader_unit   text,
    action        text NOT NULL,
    resource_kind text NOT NULL,
    resource_id   text NOT NULL,
    fields        text[] NOT NULL DEFAULT '{}',
    purpose       text NOT NULL
);
CREATE INDEX IF NOT EXISTS personal_data_reads_resource
    ON personal_data_reads (resource_kind, resource_id, read_at);
CREATE INDEX IF NOT EXISTS personal_data_reads_reader ON personal_data_reads (reader, read_at);
