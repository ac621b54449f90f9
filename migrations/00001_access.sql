-- +goose Up
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(email) AND position('@' IN email) > 1),
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('owner', 'manager', 'doctor', 'receptionist')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- API tokens are random 256-bit secrets; only their SHA-256 is stored.
CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL DEFAULT '',
    role       text NOT NULL CHECK (role IN ('owner', 'manager', 'doctor', 'receptionist')),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE users;
