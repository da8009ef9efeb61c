-- Demographic search (a person stated without a number, or with a number the register does
-- not hold): a third blocking key, the given name's key (last word of the name key), so a
-- typo in the family name still finds the record; with the family key it covers a typo in
-- any one word. Filled by the application on every write and back-filled at start-up.
ALTER TABLE citizens ADD COLUMN given_key text;
CREATE INDEX citizens_given ON citizens (given_key, birth_date);
CREATE INDEX citizens_family_date ON citizens (family_key, birth_date);

-- Where the birth was registered (GSO unit code), when known: two namesakes born the same
-- day in different places are two people, so the duplicate search does not suspect them.
ALTER TABLE citizens ADD COLUMN birth_place_code text;
