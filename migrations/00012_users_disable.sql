-- +goose Up
-- An owner disables a user instead of deleting them: the account keeps its history and can be enabled
-- again. A disabled user cannot sign in, and their console sessions end when they are disabled. The time
-- comes from the server's clock.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Who changed which user or API token, and how: the owner's page of users and tokens shows it. No
-- foreign keys, so the trail outlives what it mentions.
CREATE TABLE access_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL CHECK (action IN ('user_created', 'user_role_changed', 'user_disabled', 'user_enabled',
                                               'token_created', 'token_revoked')),
    -- The user's or token's id, and its email or name as it was at the time.
    subject_id bigint NOT NULL,
    subject    text NOT NULL,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX access_events_at ON access_events (at DESC, id DESC);

-- +goose Down
DROP TABLE access_events;
ALTER TABLE users DROP COLUMN disabled_at;
