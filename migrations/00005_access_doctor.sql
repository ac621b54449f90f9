-- +goose Up
-- A doctor's token or console account acts only on that doctor's sessions, so it names the doctor; no
-- other role does. Doctor tokens and accounts made before this named none and cannot be tied to one
-- after the fact: they are removed and must be issued again with their doctor.
DELETE FROM api_tokens WHERE role = 'doctor';
DELETE FROM users WHERE role = 'doctor';

ALTER TABLE api_tokens
    ADD COLUMN doctor_id bigint REFERENCES doctors,
    ADD CONSTRAINT api_tokens_doctor CHECK ((role = 'doctor') = (doctor_id IS NOT NULL)),
    -- created_at comes from the server's clock; a forgotten value is an error, not the database's now().
    ALTER COLUMN created_at DROP DEFAULT;

ALTER TABLE users
    ADD COLUMN doctor_id bigint REFERENCES doctors,
    ADD CONSTRAINT users_doctor CHECK ((role = 'doctor') = (doctor_id IS NOT NULL)),
    ALTER COLUMN created_at DROP DEFAULT;

-- +goose Down
ALTER TABLE users
    DROP COLUMN doctor_id,
    ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE api_tokens
    DROP COLUMN doctor_id,
    ALTER COLUMN created_at SET DEFAULT now();
