-- A second blocking key for the duplicate search, robust to a typo in the given name: the
-- family name's key (first word of the name key), with the birth date and gender.
-- Filled by the application (with block_key) on every write and back-filled at start-up.
ALTER TABLE citizens ADD COLUMN family_key text;
CREATE INDEX citizens_family ON citizens (family_key, birth_date, gender);
