-- +goose Up
-- WhatsApp consent given at booking, and when the linked phone was last online (DESIGN 3.5).

-- phone_seen_at is when the clinic's own phone was last seen online (a message or receipt from it, a
-- media retry, the pairing itself). WhatsApp drops a linked device whose phone stays offline for 14
-- days; the console warns from day 12.
ALTER TABLE whatsapp_link ADD COLUMN phone_seen_at timestamptz;

-- A consent is a patient agreeing, when they sent a booking request, to get its confirmation and
-- reminders on WhatsApp at the request's phone: what they agreed to (the words they ticked, in their
-- language), when, and through what. Rows are never updated, so a clinic can show how consent was given.
-- The contact it opens is whatsapp_contacts.consent_at.
CREATE TABLE whatsapp_consents (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address    text NOT NULL CHECK (address <> '' AND length(address) <= 300),
    phone      text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    request_id bigint NOT NULL UNIQUE REFERENCES requests,
    given_at   timestamptz NOT NULL,
    via        text NOT NULL CHECK (via IN ('booking_form', 'booking_api')),
    wording    text NOT NULL CHECK (length(wording) BETWEEN 1 AND 500),
    lang       text NOT NULL DEFAULT '' CHECK (length(lang) <= 16)
);
CREATE INDEX whatsapp_consents_address ON whatsapp_consents (address);

-- +goose Down
DROP TABLE whatsapp_consents;
ALTER TABLE whatsapp_link DROP COLUMN phone_seen_at;
