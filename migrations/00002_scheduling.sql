-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE branches (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  text NOT NULL CHECK (name <> ''),
    timezone              text NOT NULL CHECK (timezone <> ''),
    currency              char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    tax_rate_bp           integer NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 100000),
    slot_interval_minutes integer CHECK (slot_interval_minutes BETWEEN 1 AND 1440),
    min_notice_minutes    integer NOT NULL DEFAULT 60 CHECK (min_notice_minutes BETWEEN 0 AND 525600),
    horizon_days          integer NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730),
    created_at            timestamptz NOT NULL DEFAULT now()
);

-- Weekly opening hours: minutes from local midnight, several intervals a day, never overlapping.
CREATE TABLE branch_hours (
    branch_id    bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    weekday      smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (start_minute < end_minute),
    EXCLUDE USING gist (branch_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&)
);

CREATE TABLE rooms (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id  bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    name       text NOT NULL CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (branch_id, name),
    UNIQUE (branch_id, id)
);

CREATE TABLE doctors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    specialty  text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Weekly attendance per branch. A doctor is in one place at a time, so intervals never overlap
-- across branches either.
CREATE TABLE doctor_hours (
    doctor_id    bigint NOT NULL REFERENCES doctors ON DELETE CASCADE,
    branch_id    bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    weekday      smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (start_minute < end_minute),
    EXCLUDE USING gist (doctor_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&)
);
CREATE INDEX doctor_hours_branch ON doctor_hours (branch_id, doctor_id);

-- Dated exceptions replace the weekly attendance at that branch on that day. A row with null minutes
-- is a day off; rows with minutes are the hours worked instead.
CREATE TABLE doctor_exceptions (
    doctor_id    bigint NOT NULL REFERENCES doctors ON DELETE CASCADE,
    branch_id    bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    day          date NOT NULL,
    start_minute smallint CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   smallint CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK ((start_minute IS NULL) = (end_minute IS NULL)),
    CHECK (start_minute < end_minute),
    EXCLUDE USING gist (doctor_id WITH =, branch_id WITH =, day WITH =,
        int4range(coalesce(start_minute, 0), coalesce(end_minute, 1440)) WITH &&)
);
CREATE INDEX doctor_exceptions_lookup ON doctor_exceptions (doctor_id, branch_id, day);

CREATE TABLE examinations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             text NOT NULL UNIQUE CHECK (code <> ''),
    name             text NOT NULL CHECK (name <> ''),
    price            bigint NOT NULL CHECK (price >= 0),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    taxable          boolean NOT NULL,
    needs_room       boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE examination_branches (
    examination_id bigint NOT NULL REFERENCES examinations ON DELETE CASCADE,
    branch_id      bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    PRIMARY KEY (examination_id, branch_id)
);

CREATE TABLE examination_doctors (
    examination_id bigint NOT NULL REFERENCES examinations ON DELETE CASCADE,
    doctor_id      bigint NOT NULL REFERENCES doctors ON DELETE CASCADE,
    PRIMARY KEY (examination_id, doctor_id)
);
CREATE INDEX examination_doctors_doctor ON examination_doctors (doctor_id);

-- Rooms an examination may use when it needs one; none listed means any room of the branch.
CREATE TABLE examination_rooms (
    examination_id bigint NOT NULL REFERENCES examinations ON DELETE CASCADE,
    room_id        bigint NOT NULL REFERENCES rooms ON DELETE CASCADE,
    PRIMARY KEY (examination_id, room_id)
);

-- Service windows; an examination without any may run whenever the doctor is free.
CREATE TABLE examination_windows (
    examination_id bigint NOT NULL REFERENCES examinations ON DELETE CASCADE,
    weekday        smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute   smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute     smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (start_minute < end_minute),
    EXCLUDE USING gist (examination_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&)
);

-- Blackout blocks: branch-wide (no doctor, no room), a doctor's, or a room's.
CREATE TABLE blocks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id  bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    doctor_id  bigint REFERENCES doctors ON DELETE CASCADE,
    room_id    bigint,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    reason     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK (doctor_id IS NULL OR room_id IS NULL),
    FOREIGN KEY (branch_id, room_id) REFERENCES rooms (branch_id, id) ON DELETE CASCADE
);
CREATE INDEX blocks_branch_time ON blocks USING gist (branch_id, tstzrange(starts_at, ends_at));
CREATE INDEX blocks_doctor_time ON blocks USING gist (doctor_id, tstzrange(starts_at, ends_at)) WHERE doctor_id IS NOT NULL;

CREATE TABLE patients (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    phone      text NOT NULL UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email      text,
    birth_date date,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES patients,
    branch_id     bigint NOT NULL REFERENCES branches,
    doctor_id     bigint NOT NULL REFERENCES doctors,
    room_id       bigint,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'waiting'
                  CHECK (status IN ('waiting', 'open', 'completed', 'cancelled')),
    channel       text NOT NULL DEFAULT 'staff'
                  CHECK (channel IN ('staff', 'web_form', 'chatbot', 'whatsapp', 'telegram')),
    checked_in_at timestamptz,
    opened_at     timestamptz,
    completed_at  timestamptz,
    cancelled_at  timestamptz,
    cancel_reason text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL AND cancel_reason <> '')),
    CHECK (status NOT IN ('open', 'completed') OR opened_at IS NOT NULL),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    FOREIGN KEY (branch_id, room_id) REFERENCES rooms (branch_id, id),
    -- DESIGN 3.1: the database itself refuses double booking of a doctor or a room.
    CONSTRAINT sessions_doctor_no_overlap EXCLUDE USING gist
        (doctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled'),
    CONSTRAINT sessions_room_no_overlap EXCLUDE USING gist
        (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled' AND room_id IS NOT NULL)
);
CREATE INDEX sessions_branch_time ON sessions (branch_id, starts_at);
CREATE INDEX sessions_patient ON sessions (patient_id);

CREATE TABLE session_examinations (
    session_id     bigint NOT NULL REFERENCES sessions ON DELETE CASCADE,
    position       smallint NOT NULL CHECK (position >= 0),
    examination_id bigint NOT NULL REFERENCES examinations,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    CHECK (starts_at < ends_at),
    PRIMARY KEY (session_id, position)
);

-- The audit trail outlives the session: a permanent delete is itself recorded here.
CREATE TABLE session_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  bigint NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    from_status text,
    to_status   text,
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX session_events_session ON session_events (session_id, id);

-- +goose Down
DROP TABLE session_events, session_examinations, sessions, patients, blocks, examination_windows,
    examination_rooms, examination_doctors, examination_branches, examinations, doctor_exceptions,
    doctor_hours, doctors, rooms, branch_hours, branches;
