-- +goose Up
-- A signed-in staff console session. The browser holds a random 256-bit token in a cookie; only its
-- SHA-256 is stored, so a copy of this table cannot be replayed as anyone's session. A session ends
-- when it has not been used for the idle time, at expires_at whatever its use, or at sign-out.
CREATE TABLE console_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    -- Where it was started, for the owner's list of signed-in staff.
    user_agent   text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300),
    client_ip    text NOT NULL DEFAULT '' CHECK (length(client_ip) <= 64),
    CHECK (last_seen_at >= created_at AND expires_at > created_at)
);

CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

-- +goose Down
DROP TABLE console_sessions;
