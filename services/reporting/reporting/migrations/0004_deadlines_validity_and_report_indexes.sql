-- Facts carry a deadline (a dossier's appointment, a card's last day of cover) and a start
-- (a card's first day of cover), so "pending overdue at D" and "valid card on D" are asked
-- of the facts by event time, not of a timer that noticed. Indexes serve the report's
-- per-procedure and per-dossier queries at province scale (ADR 0140).
CREATE OR REPLACE FUNCTION create_projection_version(v integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    s text := 'projection_v' || v;
BEGIN
    EXECUTE format('CREATE SCHEMA %I', s);
    EXECUTE format($t$CREATE TABLE %I.facts (
        event_id       text PRIMARY KEY,
        kind           text NOT NULL,
        event_time     timestamptz NOT NULL,
        recorded_at    timestamptz NOT NULL,
        dossier_id     uuid,
        bundle_id      uuid,
        unit_code      text,
        procedure_code text,
        channel        text,
        category       text,
        flag           boolean,
        duration_s     double precision,
        seq            integer,
        reference      text,
        due_at         timestamptz,
        starts_at      timestamptz)$t$, s);
    PERFORM add_report_indexes(s);
    INSERT INTO projection_versions (version, schema_name, state) VALUES (v, s, 'building');
    RETURN s;
END
$$;

CREATE FUNCTION add_report_indexes(s text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE INDEX IF NOT EXISTS facts_kind_time ON %I.facts (kind, event_time)', s);
    EXECUTE format('CREATE INDEX IF NOT EXISTS facts_dossier ON %I.facts (dossier_id, kind)', s);
    EXECUTE format('CREATE INDEX IF NOT EXISTS facts_bundle ON %I.facts (bundle_id, kind)', s);
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS facts_decisions ON %I.facts (dossier_id, seq DESC) '
        'INCLUDE (event_time, recorded_at, category, flag) WHERE kind = ''dossier_completed''',
        s);
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS facts_submissions ON %I.facts (event_time) '
        'INCLUDE (dossier_id, unit_code, procedure_code, recorded_at, due_at) '
        'WHERE kind = ''dossier_submitted''', s);
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS facts_withdrawals ON %I.facts (event_time) '
        'INCLUDE (dossier_id, recorded_at, unit_code) '
        'WHERE kind = ''dossier_status'' AND category = ''WITHDRAWN''', s);
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS facts_statuses ON %I.facts (dossier_id, seq DESC) '
        'INCLUDE (category, event_time, recorded_at, unit_code) '
        'WHERE kind = ''dossier_status''', s);
END
$$;

DO $$
DECLARE
    s text;
BEGIN
    FOR s IN SELECT schema_name FROM projection_versions LOOP
        EXECUTE format('ALTER TABLE %I.facts ADD COLUMN IF NOT EXISTS due_at timestamptz', s);
        EXECUTE format('ALTER TABLE %I.facts ADD COLUMN IF NOT EXISTS starts_at timestamptz', s);
        PERFORM add_report_indexes(s);
    END LOOP;
END
$$;
