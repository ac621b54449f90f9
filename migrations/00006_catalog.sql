-- +goose Up
-- Prices per branch (DESIGN 3.4): an examination's price is its default in the currency of each branch
-- that offers it; a row here overrides it at one branch, and can only exist where it is offered.
CREATE TABLE examination_prices (
    examination_id bigint NOT NULL,
    branch_id      bigint NOT NULL,
    price          bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (examination_id, branch_id),
    FOREIGN KEY (examination_id, branch_id) REFERENCES examination_branches ON DELETE CASCADE
);

-- A doctor's weekly hours at two branches cannot be compared in local clock minutes when the branches
-- are in different zones: the service compares them in real time, with the doctor's row locked. Within
-- one branch the database still refuses overlapping intervals.
ALTER TABLE doctor_hours DROP CONSTRAINT doctor_hours_doctor_id_weekday_int4range_excl;
ALTER TABLE doctor_hours ADD CONSTRAINT doctor_hours_no_overlap EXCLUDE USING gist
    (doctor_id WITH =, branch_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&);

-- One clock: the service writes created_at from its own clock, so a forgotten value fails loudly
-- instead of taking the database's.
ALTER TABLE branches ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE rooms ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE doctors ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE examinations ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE blocks ALTER COLUMN created_at DROP DEFAULT;

-- Doctor blocks are listed at every branch where the doctor works.
CREATE INDEX doctor_exceptions_branch ON doctor_exceptions (branch_id, day);

-- +goose Down
DROP INDEX doctor_exceptions_branch;
ALTER TABLE blocks ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE examinations ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE doctors ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE rooms ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE branches ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE doctor_hours DROP CONSTRAINT doctor_hours_no_overlap;
ALTER TABLE doctor_hours ADD CONSTRAINT doctor_hours_doctor_id_weekday_int4range_excl EXCLUDE USING gist
    (doctor_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&);
DROP TABLE examination_prices;
