-- Health-insurance (BHYT) cover synced from BHXH, by subject id: what lets a clinic accept the
-- chip-based citizen ID card (CCCD) as the insurance card. One row per card; an end of cover
-- sets ended_on on the person's open cards.
CREATE TABLE health_insurance_cards (
    card_number  text PRIMARY KEY,
    subject_id   text NOT NULL,
    valid_from   date NOT NULL,
    valid_until  date NOT NULL,
    ended_on     date,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX health_insurance_cards_subject ON health_insurance_cards (subject_id);
