-- Whose dossier it is: the pseudonymous subject ids of its applicant and parties, so a
-- citizen reads only the dossiers that name them.
ALTER TABLE portal_dossiers ADD COLUMN party_subject_ids text[] NOT NULL DEFAULT '{}';
