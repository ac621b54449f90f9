-- +goose Up
-- The public booking form's settings (DESIGN 3.5): how each standard field shows (hidden, optional or
-- required; the name and the phone are always required), and the clinic's own fields in the order the
-- form shows them. One row: the clinic's.
CREATE TABLE booking_form (
    id             boolean PRIMARY KEY DEFAULT true CHECK (id),
    examination    text NOT NULL DEFAULT 'optional' CHECK (examination IN ('hidden', 'optional', 'required')),
    branch         text NOT NULL DEFAULT 'optional' CHECK (branch IN ('hidden', 'optional', 'required')),
    doctor         text NOT NULL DEFAULT 'optional' CHECK (doctor IN ('hidden', 'optional', 'required')),
    preferred_time text NOT NULL DEFAULT 'optional' CHECK (preferred_time IN ('hidden', 'optional', 'required')),
    message        text NOT NULL DEFAULT 'optional' CHECK (message IN ('hidden', 'optional', 'required')),
    email          text NOT NULL DEFAULT 'hidden' CHECK (email IN ('hidden', 'optional', 'required')),
    updated_at     timestamptz,
    updated_by     text,
    -- Picking a time needs the examination and the branch it is at.
    CHECK (preferred_time = 'hidden' OR (examination <> 'hidden' AND branch <> 'hidden'))
);
INSERT INTO booking_form DEFAULT VALUES;

-- The clinic's custom fields. key names the field in submissions (the JSON twin's "fields" object);
-- a choice field carries its options as [{"value", "en", "ar"}].
CREATE TABLE booking_form_fields (
    key      text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    position integer NOT NULL UNIQUE CHECK (position >= 0),
    kind     text NOT NULL CHECK (kind IN ('text', 'choice', 'date', 'yes_no')),
    required boolean NOT NULL DEFAULT false,
    label_en text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 100),
    label_ar text NOT NULL CHECK (length(label_ar) BETWEEN 1 AND 100),
    options  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    CHECK ((kind = 'choice') = (jsonb_array_length(options) > 0))
);

-- +goose Down
DROP TABLE booking_form_fields;
DROP TABLE booking_form;
