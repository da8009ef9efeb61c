-- Wake the relay when outbox rows commit, without a separate pg_notify round trip per event:
-- one notification per inserting statement, delivered at commit (none on rollback).
CREATE FUNCTION lienthong_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lienthong_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION lienthong_outbox_notify();
