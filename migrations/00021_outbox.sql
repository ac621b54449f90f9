-- +goose Up
-- Outbound delivery (DESIGN 3.5, 7): the clinic's reminder and "your turn is near" settings, and the
-- keys that make each reminder and each "your turn is near" message go out once. Delivery itself is
-- queued in the job queue's own tables.

-- One row: when reminders go out (minutes before the visit) and at which place in the doctor's line
-- a checked-in patient hears that their turn is near (0: never).
CREATE TABLE outbox_settings (
    id                       boolean PRIMARY KEY DEFAULT true CHECK (id),
    reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,120}'
        CHECK (cardinality(reminder_offsets_minutes) <= 6 AND array_position(reminder_offsets_minutes, NULL) IS NULL
            AND 5 <= ALL (reminder_offsets_minutes) AND 43200 >= ALL (reminder_offsets_minutes)),
    turn_near_position       integer NOT NULL DEFAULT 2 CHECK (turn_near_position BETWEEN 0 AND 50)
);
INSERT INTO outbox_settings DEFAULT VALUES;

-- A reminder is keyed by the session, how long before the visit it goes out, and the start it was
-- for: a rescheduled session has new keys, so it is reminded of its new time. message_id is NULL for
-- a reminder skipped because a nearer one was due at the same time.
CREATE TABLE outbox_reminders (
    session_id     bigint NOT NULL REFERENCES sessions ON DELETE CASCADE,
    offset_minutes integer NOT NULL,
    starts_at      timestamptz NOT NULL,
    message_id     bigint REFERENCES messages ON DELETE SET NULL,
    at             timestamptz NOT NULL,
    PRIMARY KEY (session_id, offset_minutes, starts_at)
);

-- "Your turn is near" goes out once per session.
CREATE TABLE outbox_turn_near (
    session_id bigint PRIMARY KEY REFERENCES sessions ON DELETE CASCADE,
    message_id bigint REFERENCES messages ON DELETE SET NULL,
    at         timestamptz NOT NULL
);

-- Staff list the messages that could not be delivered, newest first.
CREATE INDEX messages_failed ON messages (at DESC, id DESC) WHERE delivery = 'failed';

-- +goose Down
DROP INDEX messages_failed;
DROP TABLE outbox_turn_near, outbox_reminders, outbox_settings;
