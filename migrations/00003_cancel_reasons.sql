-- +goose Up
-- The reasons the console offers when a session is cancelled (DESIGN 3.2); free text is allowed too.
CREATE TABLE cancel_reasons (
    position smallint NOT NULL PRIMARY KEY CHECK (position >= 0),
    label    text NOT NULL UNIQUE CHECK (label <> '' AND length(label) <= 200)
);
INSERT INTO cancel_reasons (position, label) VALUES
    (0, 'Feels better'), (1, 'Scheduling conflict'), (2, 'Illness'), (3, 'Booked elsewhere'), (4, 'Clinic rescheduled');

-- +goose Down
DROP TABLE cancel_reasons;
