-- +goose Up
-- The clinic's masking rules for public views (the queue tracker, bot answers) and the language its
-- public pages use when a visitor names none. One row: the clinic's.
CREATE TABLE privacy_settings (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    patient_name     text NOT NULL DEFAULT 'initials'
                     CHECK (patient_name IN ('full', 'first_initial', 'initials', 'hidden')),
    doctor_name      text NOT NULL DEFAULT 'shown' CHECK (doctor_name IN ('shown', 'hidden')),
    phone            text NOT NULL DEFAULT 'hidden' CHECK (phone IN ('hidden', 'last_digits')),
    default_language text NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'ar')),
    updated_at       timestamptz,
    updated_by       text
);
INSERT INTO privacy_settings DEFAULT VALUES;

-- A patient's link to follow their session in the queue. The link carries a random token of at least
-- 128 bits; only its SHA-256 is stored, so a copy of this table opens no one's view. A link works
-- until the end of the session's local day.
CREATE TABLE tracking_links (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id bigint NOT NULL REFERENCES sessions ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    expires_at timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);

CREATE INDEX tracking_links_session ON tracking_links (session_id);
CREATE INDEX tracking_links_expiry ON tracking_links (expires_at);

-- +goose Down
DROP TABLE tracking_links;
DROP TABLE privacy_settings;
