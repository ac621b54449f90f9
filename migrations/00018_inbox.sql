-- +goose Up
-- The booking inbox (DESIGN 3.5): one conversation per patient address on a channel, its messages in
-- both directions, the booking requests staff triage, the confirm links sent after a conversion and the
-- clinic's inbox settings.

CREATE TABLE conversations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel    text NOT NULL CHECK (channel IN ('web_form', 'chatbot', 'whatsapp', 'telegram')),
    address    text NOT NULL CHECK (address <> '' AND length(address) <= 300),
    patient_id bigint REFERENCES patients ON DELETE SET NULL,
    name       text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    phone      text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    lang       text NOT NULL DEFAULT '' CHECK (length(lang) <= 16),
    handover   boolean NOT NULL DEFAULT false,
    consent    boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (channel, address),
    UNIQUE (id, channel)
);
CREATE INDEX conversations_phone ON conversations (phone) WHERE phone <> '';
CREATE INDEX conversations_patient ON conversations (patient_id) WHERE patient_id IS NOT NULL;

-- An inbound message is deduplicated by the channel's own id for it; an outbound one by the key its
-- author gives it, so a retried reply is recorded and sent once.
CREATE TABLE messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id bigint NOT NULL,
    channel         text NOT NULL,
    direction       text NOT NULL CHECK (direction IN ('in', 'out')),
    external_id     text CHECK (length(external_id) BETWEEN 1 AND 200),
    key             text CHECK (length(key) BETWEEN 1 AND 200),
    text            text NOT NULL DEFAULT '' CHECK (length(text) <= 8000),
    choice          text NOT NULL DEFAULT '' CHECK (length(choice) <= 200),
    choices         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(choices) = 'array'),
    ask_phone       boolean NOT NULL DEFAULT false,
    lang            text NOT NULL DEFAULT '' CHECK (length(lang) <= 16),
    by_user         bigint REFERENCES users ON DELETE SET NULL,
    by_name         text NOT NULL DEFAULT '',
    delivery        text NOT NULL CHECK (delivery IN ('received', 'queued', 'sent', 'failed')),
    error           text NOT NULL DEFAULT '',
    at              timestamptz NOT NULL,
    delivered_at    timestamptz,
    FOREIGN KEY (conversation_id, channel) REFERENCES conversations (id, channel) ON DELETE CASCADE,
    CHECK ((direction = 'in') = (delivery = 'received')),
    CHECK (direction = 'in' OR external_id IS NULL),
    CHECK (direction = 'out' OR (key IS NULL AND by_user IS NULL AND by_name = '')),
    CHECK (delivery = 'failed' OR error = ''),
    UNIQUE (channel, external_id),
    UNIQUE (conversation_id, key)
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE TABLE requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         text NOT NULL CHECK (channel IN ('web_form', 'chatbot', 'whatsapp', 'telegram')),
    conversation_id bigint,
    key             text CHECK (length(key) BETWEEN 1 AND 200),
    name            text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    phone           text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    lang            text NOT NULL DEFAULT '' CHECK (length(lang) <= 16),
    examination_id  bigint REFERENCES examinations,
    branch_id       bigint REFERENCES branches,
    doctor_id       bigint REFERENCES doctors,
    preferred_start timestamptz,
    message         text NOT NULL DEFAULT '' CHECK (length(message) <= 4000),
    fields          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fields) = 'object'),
    status          text NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in_progress', 'converted', 'rejected', 'expired')),
    assignee_id     bigint REFERENCES users ON DELETE SET NULL,
    reject_reason   text,
    patient_id      bigint REFERENCES patients,
    session_id      bigint REFERENCES sessions ON DELETE SET NULL,
    -- The confirmation for a request without a conversation (the web form): staff pass it on.
    confirmation    text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    converted_at    timestamptz,
    FOREIGN KEY (conversation_id, channel) REFERENCES conversations (id, channel),
    CHECK ((status = 'rejected') = (reject_reason IS NOT NULL AND reject_reason <> '')),
    CHECK ((status = 'converted') = (converted_at IS NOT NULL AND patient_id IS NOT NULL)),
    UNIQUE (channel, key)
);
CREATE INDEX requests_newest ON requests (created_at DESC, id DESC);
CREATE INDEX requests_status ON requests (status, created_at DESC, id DESC);
CREATE INDEX requests_conversation ON requests (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX requests_assignee ON requests (assignee_id) WHERE assignee_id IS NOT NULL;

-- A confirm link's token is a random 256-bit secret; only its SHA-256 is stored.
CREATE TABLE confirm_links (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    request_id   bigint NOT NULL REFERENCES requests ON DELETE CASCADE,
    session_id   bigint NOT NULL REFERENCES sessions ON DELETE CASCADE,
    patient_id   bigint NOT NULL REFERENCES patients ON DELETE CASCADE,
    phone        text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    expires_at   timestamptz NOT NULL,
    confirmed_at timestamptz,
    created_at   timestamptz NOT NULL
);
CREATE INDEX confirm_links_session ON confirm_links (session_id);
CREATE INDEX confirm_links_request ON confirm_links (request_id);

-- One row: the clinic's inbox settings.
CREATE TABLE inbox_settings (
    id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
    request_expiry_hours  integer NOT NULL DEFAULT 72 CHECK (request_expiry_hours BETWEEN 1 AND 8760),
    cancel_cutoff_minutes integer NOT NULL DEFAULT 120 CHECK (cancel_cutoff_minutes BETWEEN 0 AND 43200),
    direct_booking        boolean NOT NULL DEFAULT false,
    default_lang          text NOT NULL DEFAULT 'en' CHECK (default_lang IN ('en', 'ar'))
);
INSERT INTO inbox_settings DEFAULT VALUES;

-- +goose Down
DROP TABLE inbox_settings, confirm_links, requests, messages, conversations;
