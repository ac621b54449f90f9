-- +goose Up
-- The WhatsApp channel (DESIGN 3.5, 8). whatsmeow keeps its device and keys in its own whatsmeow_*
-- tables; these are the clinic's: the connection's state as staff see it, the people who wrote to the
-- clinic's number (consent to be answered, and the phone behind a hidden @lid address), and link
-- requests from any server to the one that holds the connection.

-- One row: the connection's last known state, written by the server that holds it.
CREATE TABLE whatsapp_link (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    state         text NOT NULL CHECK (state IN ('not_linked', 'linking', 'connected', 'disconnected',
                      'keepalive_lost', 'logged_out', 'banned', 'replaced')),
    detail        text NOT NULL DEFAULT '' CHECK (length(detail) <= 500),
    since         timestamptz NOT NULL,
    -- account is the linked phone number in E.164, empty while not linked.
    account       text NOT NULL DEFAULT '' CHECK (account = '' OR account ~ '^\+[1-9][0-9]{6,14}$'),
    -- qr_code is the code to show as a QR image while linking, valid until qr_expires_at.
    qr_code       text NOT NULL DEFAULT '' CHECK (length(qr_code) <= 1000),
    qr_expires_at timestamptz,
    -- holder names the server holding the connection; held_at is its last sign of life.
    holder        text NOT NULL DEFAULT '' CHECK (length(holder) <= 200),
    held_at       timestamptz
);

-- A contact is one WhatsApp address that wrote to the clinic (so it may be answered) or agreed to be
-- messaged. lid keeps the hidden id WhatsApp used for a sender whose phone it also gave.
CREATE TABLE whatsapp_contacts (
    address    text PRIMARY KEY CHECK (address <> '' AND length(address) <= 300),
    phone      text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    lid        text NOT NULL DEFAULT '' CHECK (length(lid) <= 300),
    wrote_at   timestamptz,
    consent_at timestamptz,
    CHECK (wrote_at IS NOT NULL OR consent_at IS NOT NULL)
);
CREATE INDEX whatsapp_contacts_lid ON whatsapp_contacts (lid) WHERE lid <> '';

-- A link request is staff asking (through the console or the API, on any server) for a QR code, a
-- pairing code or an unlink; the server holding the connection carries it out and writes the result.
CREATE TABLE whatsapp_link_requests (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('qr', 'pair', 'unlink')),
    phone      text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    created_at timestamptz NOT NULL,
    done_at    timestamptz,
    result     text NOT NULL DEFAULT '' CHECK (length(result) <= 1000),
    error      text NOT NULL DEFAULT '' CHECK (length(error) <= 500)
);
CREATE INDEX whatsapp_link_requests_pending ON whatsapp_link_requests (id) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE whatsapp_link_requests;
DROP TABLE whatsapp_contacts;
DROP TABLE whatsapp_link;
