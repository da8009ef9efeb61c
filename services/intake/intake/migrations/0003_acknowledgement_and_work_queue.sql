-- Acknowledgement deadline of online dossiers (8 working hours, Decree 45/2020) and the
-- officer's work queue (by unit, deadline first).
ALTER TABLE dossiers
    ADD COLUMN acknowledgement_due_at     timestamptz,
    ADD COLUMN acknowledgement_overdue_at timestamptz;

-- The deadline timer scans only online dossiers still waiting to be acknowledged.
CREATE INDEX dossiers_acknowledgement_watch ON dossiers (acknowledgement_due_at)
    WHERE acknowledgement_due_at IS NOT NULL AND acknowledgement_overdue_at IS NULL
      AND status = 'received';

-- Work queue: a unit's dossiers, earliest statutory deadline (so overdue) first; keyset pages.
CREATE INDEX dossiers_work_queue ON dossiers (unit_code, appointment_at, id);

-- Citizen look-up by dossier code + ID number.
CREATE INDEX dossier_persons_id_number ON dossier_persons (dossier_id, id_number);
