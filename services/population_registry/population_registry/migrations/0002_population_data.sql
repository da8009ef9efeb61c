-- Population data the registry needs to answer verification and apply civil-registry events.
-- block_key: the person's name key (repaired, normalized, ASCII-folded, lower case) with its
-- words sorted, for the duplicate search; filled by the application on every write.
ALTER TABLE citizens
    ADD COLUMN block_key        text,
    ADD COLUMN date_of_death    date,
    ADD COLUMN mother_id_number char(12),
    ADD COLUMN father_id_number char(12),
    ADD COLUMN merged_into      char(12) REFERENCES citizens (id_number),
    ADD COLUMN updated_at       timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX citizens_block ON citizens (block_key, birth_date);
CREATE INDEX citizens_mother ON citizens (mother_id_number, birth_date);

-- Old 9-digit CMND numbers: one person, several old numbers.
CREATE TABLE citizen_aliases (
    cmnd_number char(9) PRIMARY KEY,
    id_number   char(12) NOT NULL REFERENCES citizens (id_number)
);

-- Every civil-registry registration applied, once (history; never overwritten).
CREATE TABLE applied_registrations (
    registration_id uuid PRIMARY KEY,
    kind            text NOT NULL,
    id_number       char(12),
    field           text,
    old_value       text,
    new_value       text,
    registered_at   timestamptz NOT NULL,
    applied         boolean NOT NULL,
    reason          text
);
