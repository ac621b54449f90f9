-- +goose Up
-- Patients withdrawing their consent to WhatsApp messages by writing STOP (DESIGN 3.5).

-- opted_out_at is set while the person at the address has asked the clinic to stop messaging them:
-- the clinic starts nothing there (confirmations, reminders, "your turn is near") until they write
-- again or agree again on the booking form, which clears it.
ALTER TABLE whatsapp_contacts ADD COLUMN opted_out_at timestamptz;

-- An opt-out is one such request, kept as the clinic's record of it: when, what the patient wrote and
-- in which message, and when and how they opted in again (ended_at, ended_by: 'wrote' when they wrote
-- to the clinic again, 'booking_form' or 'booking_api' when they ticked the consent again). Rows are
-- only ever updated to record that end, once.
CREATE TABLE whatsapp_opt_outs (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address    text NOT NULL CHECK (address <> '' AND length(address) <= 300),
    phone      text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    at         timestamptz NOT NULL,
    message_id text NOT NULL UNIQUE CHECK (message_id <> '' AND length(message_id) <= 200),
    words      text NOT NULL CHECK (length(words) BETWEEN 1 AND 200),
    lang       text NOT NULL DEFAULT '' CHECK (length(lang) <= 16),
    ended_at   timestamptz,
    ended_by   text CHECK (ended_by IN ('wrote', 'booking_form', 'booking_api')),
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX whatsapp_opt_outs_address ON whatsapp_opt_outs (address, at DESC);

-- +goose Down
DROP TABLE whatsapp_opt_outs;
ALTER TABLE whatsapp_contacts DROP COLUMN opted_out_at;
