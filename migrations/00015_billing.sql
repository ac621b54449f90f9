-- +goose Up
-- Billing (DESIGN 3.4). Amounts are integer minor units of the branch's currency; rates are basis
-- points. examinations.taxable (00002) is the examination's tax flag.

-- Inventory items used as consumables. unit_price is the default price, read in the currency of the
-- branch that bills it, as examination prices are; inventory_item_prices overrides it per branch.
CREATE TABLE inventory_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code <> ''),
    name       text NOT NULL CHECK (name <> ''),
    unit       text NOT NULL DEFAULT 'unit' CHECK (unit <> ''),
    unit_price bigint NOT NULL CHECK (unit_price >= 0),
    -- Whether using the item is billed on its own line by default (DESIGN 3.4: a line per billable
    -- consumable); an examination may say otherwise for its own use of it.
    billable   boolean NOT NULL DEFAULT true,
    taxable    boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL
);

CREATE TABLE inventory_item_prices (
    item_id    bigint NOT NULL REFERENCES inventory_items ON DELETE CASCADE,
    branch_id  bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    unit_price bigint NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (item_id, branch_id)
);

-- The consumables an examination uses, and how many of each. billable NULL takes the item's own flag.
CREATE TABLE examination_consumables (
    examination_id bigint NOT NULL REFERENCES examinations ON DELETE CASCADE,
    item_id        bigint NOT NULL REFERENCES inventory_items,
    quantity       integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    billable       boolean,
    PRIMARY KEY (examination_id, item_id)
);
CREATE INDEX examination_consumables_item ON examination_consumables (item_id);

-- Stock of each item at each branch.
CREATE TABLE inventory_stock (
    item_id    bigint NOT NULL REFERENCES inventory_items ON DELETE CASCADE,
    branch_id  bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    quantity   bigint NOT NULL CHECK (quantity >= 0),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (item_id, branch_id)
);

-- Commission per examination, for the doctor and for the manager: a percentage of the net after
-- discount and before tax, or a fixed amount in the branch's currency; exactly one of the two.
CREATE TABLE commission_rules (
    examination_id bigint NOT NULL REFERENCES examinations ON DELETE CASCADE,
    beneficiary    text NOT NULL CHECK (beneficiary IN ('doctor', 'manager')),
    percent_bp     integer CHECK (percent_bp BETWEEN 0 AND 10000),
    fixed          bigint CHECK (fixed >= 0),
    CHECK ((percent_bp IS NULL) <> (fixed IS NULL)),
    PRIMARY KEY (examination_id, beneficiary)
);

-- Prepaid packages: uses of some examinations, until an optional last day.
CREATE TABLE patient_packages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES patients,
    name       text NOT NULL CHECK (name <> ''),
    uses       integer NOT NULL CHECK (uses BETWEEN 1 AND 1000),
    uses_left  integer NOT NULL CHECK (uses_left >= 0),
    expires_on date,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    CHECK (uses_left <= uses)
);
CREATE INDEX patient_packages_patient ON patient_packages (patient_id);

CREATE TABLE package_examinations (
    package_id     bigint NOT NULL REFERENCES patient_packages ON DELETE CASCADE,
    examination_id bigint NOT NULL REFERENCES examinations,
    PRIMARY KEY (package_id, examination_id)
);

-- A patient's insurance policy (one at a time; replacing it keeps its id and its year's usage).
-- currency NULL: the amounts are read in the currency of the branch that bills.
CREATE TABLE insurance_policies (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id        bigint NOT NULL UNIQUE REFERENCES patients,
    insurer           text NOT NULL CHECK (insurer <> ''),
    coverage_bp       integer NOT NULL CHECK (coverage_bp BETWEEN 0 AND 10000),
    annual_deductible bigint NOT NULL CHECK (annual_deductible >= 0),
    annual_limit      bigint CHECK (annual_limit >= 0),
    currency          char(3) CHECK (currency ~ '^[A-Z]{3}$'),
    valid_from        date NOT NULL,
    valid_to          date NOT NULL,
    updated_at        timestamptz NOT NULL,
    updated_by        text NOT NULL,
    CHECK (valid_from <= valid_to)
);

-- Examinations a policy covers; none listed: all of them.
CREATE TABLE policy_examinations (
    policy_id      bigint NOT NULL REFERENCES insurance_policies ON DELETE CASCADE,
    examination_id bigint NOT NULL REFERENCES examinations,
    PRIMARY KEY (policy_id, examination_id)
);

-- What a policy has used of its deductible and limit in a calendar year, written when invoices are
-- issued and reversed by credit notes.
CREATE TABLE policy_usage (
    policy_id       bigint NOT NULL REFERENCES insurance_policies ON DELETE CASCADE,
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    deductible_used bigint NOT NULL DEFAULT 0 CHECK (deductible_used >= 0),
    insurer_paid    bigint NOT NULL DEFAULT 0 CHECK (insurer_paid >= 0),
    PRIMARY KEY (policy_id, year)
);

CREATE TABLE loyalty_accounts (
    patient_id       bigint PRIMARY KEY REFERENCES patients,
    points           bigint NOT NULL DEFAULT 0 CHECK (points >= 0),
    tier_discount_bp integer NOT NULL DEFAULT 0 CHECK (tier_discount_bp BETWEEN 0 AND 10000),
    updated_at       timestamptz NOT NULL,
    updated_by       text NOT NULL
);

-- +goose Down
DROP TABLE loyalty_accounts;
DROP TABLE policy_usage;
DROP TABLE policy_examinations;
DROP TABLE insurance_policies;
DROP TABLE package_examinations;
DROP TABLE patient_packages;
DROP TABLE commission_rules;
DROP TABLE inventory_stock;
DROP TABLE examination_consumables;
DROP TABLE inventory_item_prices;
DROP TABLE inventory_items;
