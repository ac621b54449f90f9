-- +goose Up
-- Saved invoices (DESIGN 3.4): one per session, built at booking, recomputed while a draft, issued at
-- completion (or earlier by staff) with a gap-free number per branch, paid, and corrected only by a
-- credit note. Amounts are integer minor units of the invoice's currency.

-- The clinic's loyalty rule: points earned per unit the patient pays, in basis points of the amount
-- due (100 = one point per 100 minor units). One row: the clinic's.
CREATE TABLE billing_settings (
    id             boolean PRIMARY KEY DEFAULT true CHECK (id),
    points_rate_bp integer NOT NULL DEFAULT 100 CHECK (points_rate_bp BETWEEN 0 AND 10000)
);
INSERT INTO billing_settings DEFAULT VALUES;

CREATE TABLE invoices (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- No cascade: a session whose invoice is issued or paid cannot be deleted (financial history).
    session_id        bigint NOT NULL UNIQUE REFERENCES sessions,
    branch_id         bigint NOT NULL REFERENCES branches,
    patient_id        bigint NOT NULL REFERENCES patients,
    status            text NOT NULL CHECK (status IN ('draft', 'issued', 'credited', 'void')),
    currency          char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    visit_date        date NOT NULL,
    subtotal          bigint NOT NULL CHECK (subtotal >= 0),
    package_covered   bigint NOT NULL CHECK (package_covered >= 0),
    discount          bigint NOT NULL CHECK (discount >= 0),
    tax               bigint NOT NULL CHECK (tax >= 0),
    total             bigint NOT NULL CHECK (total >= 0),
    insurance_covered bigint NOT NULL CHECK (insurance_covered >= 0),
    patient_total     bigint NOT NULL CHECK (patient_total >= 0),
    points_redeemed   bigint NOT NULL CHECK (points_redeemed >= 0),
    amount_due        bigint NOT NULL CHECK (amount_due >= 0),
    paid              bigint NOT NULL DEFAULT 0 CHECK (paid >= 0),
    -- Points the patient earned when it was issued, given back by a credit note.
    points_earned     bigint NOT NULL DEFAULT 0 CHECK (points_earned >= 0),
    -- The policy whose deductible and limit the lines used, and the year they count in.
    policy_id         bigint REFERENCES insurance_policies,
    policy_year       integer,
    remaining         jsonb NOT NULL,
    notes             jsonb NOT NULL,
    number_seq        bigint,
    number            text,
    issued_at         timestamptz,
    issued_by         text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CHECK (subtotal - package_covered - discount + tax = total),
    CHECK (total = insurance_covered + patient_total),
    CHECK (patient_total - points_redeemed = amount_due),
    CHECK ((status IN ('issued', 'credited')) = (number IS NOT NULL)),
    CHECK ((number IS NULL) = (number_seq IS NULL) AND (number IS NULL) = (issued_at IS NULL)),
    CHECK ((policy_id IS NULL) = (policy_year IS NULL)),
    UNIQUE (branch_id, number_seq)
);
CREATE INDEX invoices_patient ON invoices (patient_id);

-- A line per examination and billable consumable, with its price snapshot and each step of pricing.
CREATE TABLE invoice_lines (
    invoice_id        bigint NOT NULL REFERENCES invoices ON DELETE CASCADE,
    position          integer NOT NULL CHECK (position >= 0),
    kind              text NOT NULL CHECK (kind IN ('examination', 'consumable')),
    examination_id    bigint,
    item_id           bigint,
    description       text NOT NULL,
    quantity          bigint NOT NULL CHECK (quantity >= 1),
    unit_price        bigint NOT NULL CHECK (unit_price >= 0),
    subtotal          bigint NOT NULL CHECK (subtotal >= 0),
    package_id        bigint REFERENCES patient_packages,
    package_covered   bigint NOT NULL CHECK (package_covered >= 0),
    discount_bp       integer NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    discount          bigint NOT NULL CHECK (discount >= 0),
    net               bigint NOT NULL CHECK (net >= 0),
    taxable           boolean NOT NULL,
    tax_rate_bp       integer NOT NULL CHECK (tax_rate_bp >= 0),
    tax               bigint NOT NULL CHECK (tax >= 0),
    total             bigint NOT NULL CHECK (total >= 0),
    deductible        bigint NOT NULL CHECK (deductible >= 0),
    insurance_covered bigint NOT NULL CHECK (insurance_covered >= 0),
    patient_share     bigint NOT NULL CHECK (patient_share >= 0),
    points_redeemed   bigint NOT NULL CHECK (points_redeemed >= 0),
    amount_due        bigint NOT NULL CHECK (amount_due >= 0),
    trace             jsonb NOT NULL,
    CHECK (net + tax = total AND total = insurance_covered + patient_share),
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE payments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES invoices,
    amount     bigint NOT NULL CHECK (amount > 0),
    method     text NOT NULL CHECK (method IN ('cash', 'card', 'transfer')),
    created_at timestamptz NOT NULL,
    created_by text NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

-- Gap-free numbers per branch: the counter row is updated in the issuing transaction, so a number is
-- taken only by a committed invoice or credit note (a sequence would leave gaps on rollback).
CREATE TABLE invoice_series (
    branch_id   bigint NOT NULL REFERENCES branches ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    last_number bigint NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (branch_id, kind)
);

-- A credit note reverses one issued invoice whole.
CREATE TABLE credit_notes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL UNIQUE REFERENCES invoices,
    branch_id  bigint NOT NULL REFERENCES branches,
    number_seq bigint NOT NULL,
    number     text NOT NULL,
    amount     bigint NOT NULL CHECK (amount >= 0),
    reason     text NOT NULL CHECK (reason <> ''),
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    UNIQUE (branch_id, number_seq)
);

-- Commission earned on issued invoices; a credit note writes the opposite entries.
CREATE TABLE commission_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id     bigint NOT NULL REFERENCES invoices,
    credit_note_id bigint REFERENCES credit_notes,
    examination_id bigint NOT NULL REFERENCES examinations,
    beneficiary    text NOT NULL CHECK (beneficiary IN ('doctor', 'manager')),
    doctor_id      bigint REFERENCES doctors,
    branch_id      bigint NOT NULL REFERENCES branches,
    amount         bigint NOT NULL CHECK (amount <> 0),
    created_at     timestamptz NOT NULL,
    CHECK ((beneficiary = 'doctor') = (doctor_id IS NOT NULL)),
    CHECK ((credit_note_id IS NULL) = (amount > 0))
);
CREATE INDEX commission_entries_invoice ON commission_entries (invoice_id);

-- Stock that left (negative) or came back (positive) with an invoice. shortfall is what the visit
-- used beyond the stock recorded at the branch: stock never goes below zero.
CREATE TABLE stock_movements (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id     bigint NOT NULL REFERENCES invoices,
    credit_note_id bigint REFERENCES credit_notes,
    item_id        bigint NOT NULL REFERENCES inventory_items,
    branch_id      bigint NOT NULL REFERENCES branches,
    quantity       bigint NOT NULL,
    shortfall      bigint NOT NULL DEFAULT 0 CHECK (shortfall >= 0),
    created_at     timestamptz NOT NULL
);
CREATE INDEX stock_movements_invoice ON stock_movements (invoice_id);

-- +goose Down
DROP TABLE stock_movements;
DROP TABLE commission_entries;
DROP TABLE credit_notes;
DROP TABLE invoice_series;
DROP TABLE payments;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE billing_settings;
