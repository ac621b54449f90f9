-- +goose Up
-- Finding patients by a fragment of their name, whatever its accents and case, or of their phone.
-- Both extensions are trusted: a database owner may create them without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- patient_search_key is the form of a name that search compares: without accents, lower case, single
-- spaces. unaccent() itself is only STABLE (its dictionary could change); the SQL-standard body binds
-- the function and dictionary when this is created, so it may be declared IMMUTABLE and indexed.
CREATE FUNCTION patient_search_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN btrim(regexp_replace(lower(unaccent('unaccent'::regdictionary, name)), '\s+', ' ', 'g'));

CREATE INDEX patients_name_search ON patients USING gin (patient_search_key(name) gin_trgm_ops);
CREATE INDEX patients_phone_search ON patients USING gin (phone gin_trgm_ops);

-- A patient's visits, newest first, page by (starts_at, id).
CREATE INDEX sessions_patient_time ON sessions (patient_id, starts_at, id);
DROP INDEX sessions_patient;

-- Every domain timestamp comes from the application's clock.
ALTER TABLE patients ALTER COLUMN created_at DROP DEFAULT;

-- +goose Down
ALTER TABLE patients ALTER COLUMN created_at SET DEFAULT now();
CREATE INDEX sessions_patient ON sessions (patient_id);
DROP INDEX sessions_patient_time;
DROP INDEX patients_phone_search;
DROP INDEX patients_name_search;
DROP FUNCTION patient_search_key(text);
