-- +goose Up
-- The waiting-room queue's order as staff dragged it (DESIGN 3.3), per branch, local day and scope:
-- doctor_id 0 is the whole branch's queue, another value one doctor's. session_ids are the waiting
-- sessions in the order they are to be seen; sessions not in it are placed after, by arrival.
CREATE TABLE queue_orders (
    branch_id   bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    day         date NOT NULL,
    doctor_id   bigint NOT NULL CHECK (doctor_id >= 0),
    session_ids bigint[] NOT NULL CHECK (cardinality(session_ids) <= 1000),
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (branch_id, day, doctor_id)
);

-- A doctor's pace is learned from their latest completed sessions, whatever the branch.
CREATE INDEX sessions_doctor_completed ON sessions (doctor_id, completed_at DESC) WHERE status = 'completed';

-- +goose Down
DROP INDEX sessions_doctor_completed;
DROP TABLE queue_orders;
