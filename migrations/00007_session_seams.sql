-- +goose Up
-- A patient who did not come: the status no_show (DESIGN 3.2). Like a cancelled session it no longer
-- holds the doctor, the room or the patient.
ALTER TABLE sessions DROP CONSTRAINT sessions_status_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_status_check
    CHECK (status IN ('waiting', 'open', 'completed', 'cancelled', 'no_show'));

ALTER TABLE sessions DROP CONSTRAINT sessions_doctor_no_overlap;
ALTER TABLE sessions ADD CONSTRAINT sessions_doctor_no_overlap EXCLUDE USING gist
    (doctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status NOT IN ('cancelled', 'no_show'));
ALTER TABLE sessions DROP CONSTRAINT sessions_room_no_overlap;
ALTER TABLE sessions ADD CONSTRAINT sessions_room_no_overlap EXCLUDE USING gist
    (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status NOT IN ('cancelled', 'no_show') AND room_id IS NOT NULL);
-- A patient is never in two overlapping live sessions.
ALTER TABLE sessions ADD CONSTRAINT sessions_patient_no_overlap EXCLUDE USING gist
    (patient_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status NOT IN ('cancelled', 'no_show'));

-- A key reused for another booking is refused: the request it first came with is kept (a SHA-256).
ALTER TABLE sessions ADD COLUMN idempotency_request bytea
    CONSTRAINT sessions_idempotency_request CHECK ((idempotency_key IS NULL) = (idempotency_request IS NULL));

-- Every domain timestamp comes from the application's clock: no defaults to fall back on.
ALTER TABLE sessions ALTER COLUMN created_at DROP DEFAULT, ALTER COLUMN updated_at DROP DEFAULT;
ALTER TABLE session_events ALTER COLUMN at DROP DEFAULT;

-- +goose Down
ALTER TABLE sessions DROP COLUMN idempotency_request;
ALTER TABLE session_events ALTER COLUMN at SET DEFAULT now();
ALTER TABLE sessions ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE sessions DROP CONSTRAINT sessions_patient_no_overlap;
ALTER TABLE sessions DROP CONSTRAINT sessions_room_no_overlap;
ALTER TABLE sessions ADD CONSTRAINT sessions_room_no_overlap EXCLUDE USING gist
    (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled' AND room_id IS NOT NULL);
ALTER TABLE sessions DROP CONSTRAINT sessions_doctor_no_overlap;
ALTER TABLE sessions ADD CONSTRAINT sessions_doctor_no_overlap EXCLUDE USING gist
    (doctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled');
ALTER TABLE sessions DROP CONSTRAINT sessions_status_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_status_check
    CHECK (status IN ('waiting', 'open', 'completed', 'cancelled'));
