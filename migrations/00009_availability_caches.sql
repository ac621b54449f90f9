-- +goose Up
-- Slots are offered at least five minutes apart: a one-minute rhythm over a long range made answers of
-- a hundred megabytes. Branches set below that take the new minimum.
UPDATE branches SET slot_interval_minutes = 5 WHERE slot_interval_minutes < 5;
ALTER TABLE branches DROP CONSTRAINT branches_slot_interval_minutes_check;
ALTER TABLE branches ADD CONSTRAINT branches_slot_interval_minutes_check
    CHECK (slot_interval_minutes BETWEEN 5 AND 1440);

-- The catalog's version: every statement that changes a table availability reads as configuration
-- (branches and their hours, rooms, examinations and what they are tied to) moves it on, inside the
-- writing transaction. A server keeps that configuration in memory with the version it was read at,
-- and reads the version in the same round trip as each calendar: a change committed before a request
-- starts is never answered from memory.
CREATE TABLE catalog_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint NOT NULL
);
INSERT INTO catalog_version (version) VALUES (1);

-- +goose StatementBegin
CREATE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON branches
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON branch_hours
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rooms
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examinations
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examination_branches
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examination_doctors
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examination_rooms
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examination_windows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examination_prices
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();

-- Servers keep the tokens they have checked in memory; a revoked, changed or deleted token tells them
-- to forget them all.
-- +goose StatementBegin
CREATE FUNCTION api_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_tokens_changed', '');
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER api_tokens_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION api_tokens_changed();

-- +goose Down
DROP TRIGGER api_tokens_changed ON api_tokens;
DROP FUNCTION api_tokens_changed();
DROP TRIGGER catalog_changed ON examination_prices;
DROP TRIGGER catalog_changed ON examination_windows;
DROP TRIGGER catalog_changed ON examination_rooms;
DROP TRIGGER catalog_changed ON examination_doctors;
DROP TRIGGER catalog_changed ON examination_branches;
DROP TRIGGER catalog_changed ON examinations;
DROP TRIGGER catalog_changed ON rooms;
DROP TRIGGER catalog_changed ON branch_hours;
DROP TRIGGER catalog_changed ON branches;
DROP FUNCTION catalog_changed();
DROP TABLE catalog_version;
ALTER TABLE branches DROP CONSTRAINT branches_slot_interval_minutes_check;
ALTER TABLE branches ADD CONSTRAINT branches_slot_interval_minutes_check
    CHECK (slot_interval_minutes BETWEEN 1 AND 1440);
