-- The walking skeleton's per-dossier view and counters are now aggregates over the live
-- projection version's facts (ADR 0051): one source of truth, rebuilt by a replay. Run
-- `lienthong replay run --switch-if-different` once after upgrading so bundle starts
-- projected before this migration get their allowed duration (the dossier's deadline).
DROP TABLE IF EXISTS dossier_view;
DROP TABLE IF EXISTS dossier_counts;
DROP TABLE IF EXISTS identity_outcomes;
DROP TABLE IF EXISTS bundle_counts;
