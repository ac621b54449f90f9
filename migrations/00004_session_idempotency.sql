-- +goose Up
-- A client's Idempotency-Key makes a retried booking return the session it already made.
ALTER TABLE sessions ADD COLUMN idempotency_key text
    CONSTRAINT sessions_idempotency_key UNIQUE
    CHECK (length(idempotency_key) BETWEEN 1 AND 200);

-- +goose Down
ALTER TABLE sessions DROP COLUMN idempotency_key;
