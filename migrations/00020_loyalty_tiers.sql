-- +goose Up
-- The clinic's loyalty tiers (DESIGN 3.4, discount step): a patient reaches a tier at its threshold,
-- counted in points held or in the amount the patient has paid (minor units of the visit's branch
-- currency), and gets its discount. One threshold per tier, so "the highest tier reached" is one row.
ALTER TABLE billing_settings ADD COLUMN tier_basis text NOT NULL DEFAULT 'points'
    CHECK (tier_basis IN ('points', 'spent'));

CREATE TABLE loyalty_tiers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 60),
    threshold   bigint NOT NULL UNIQUE CHECK (threshold >= 0),
    discount_bp integer NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000)
);

-- A tier discount set by staff wins over the tiers; NULL: the patient's tier follows the rules. Until
-- now 0 meant "no tier", which the rules now decide.
ALTER TABLE loyalty_accounts ALTER COLUMN tier_discount_bp DROP NOT NULL, ALTER COLUMN tier_discount_bp DROP DEFAULT;
UPDATE loyalty_accounts SET tier_discount_bp = NULL WHERE tier_discount_bp = 0;

-- What a visit is priced from beyond the patient's own records moves the catalog version (00009) too:
-- consumables, their prices, the tiers and the points rule. A server may then keep a booking's prices
-- in memory and check them with the version in the statement that writes the invoice.
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON inventory_items
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON inventory_item_prices
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON examination_consumables
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON loyalty_tiers
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON billing_settings
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();

-- Patients who have, or once had, money records of their own: a loyalty account, a policy, a package
-- or a payment. Any other patient is priced from the catalog alone, so a booking for one can be
-- priced from memory and checked with one index probe. A patient is never taken off the list.
CREATE TABLE billing_patients (
    patient_id bigint PRIMARY KEY REFERENCES patients ON DELETE CASCADE
);
INSERT INTO billing_patients
    SELECT patient_id FROM loyalty_accounts UNION SELECT patient_id FROM insurance_policies
    UNION SELECT patient_id FROM patient_packages UNION SELECT patient_id FROM invoices WHERE paid > 0;

-- +goose StatementBegin
CREATE FUNCTION billing_patient_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO billing_patients (patient_id) VALUES (NEW.patient_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER billing_patient_marked AFTER INSERT OR UPDATE ON loyalty_accounts
    FOR EACH ROW EXECUTE FUNCTION billing_patient_marked();
CREATE TRIGGER billing_patient_marked AFTER INSERT OR UPDATE ON insurance_policies
    FOR EACH ROW EXECUTE FUNCTION billing_patient_marked();
CREATE TRIGGER billing_patient_marked AFTER INSERT OR UPDATE ON patient_packages
    FOR EACH ROW EXECUTE FUNCTION billing_patient_marked();
CREATE TRIGGER billing_patient_marked AFTER UPDATE OF paid ON invoices
    FOR EACH ROW WHEN (NEW.paid > 0) EXECUTE FUNCTION billing_patient_marked();

-- +goose Down
DROP TRIGGER billing_patient_marked ON invoices;
DROP TRIGGER billing_patient_marked ON patient_packages;
DROP TRIGGER billing_patient_marked ON insurance_policies;
DROP TRIGGER billing_patient_marked ON loyalty_accounts;
DROP FUNCTION billing_patient_marked();
DROP TABLE billing_patients;
DROP TRIGGER catalog_changed ON billing_settings;
DROP TRIGGER catalog_changed ON loyalty_tiers;
DROP TRIGGER catalog_changed ON examination_consumables;
DROP TRIGGER catalog_changed ON inventory_item_prices;
DROP TRIGGER catalog_changed ON inventory_items;
UPDATE loyalty_accounts SET tier_discount_bp = 0 WHERE tier_discount_bp IS NULL;
ALTER TABLE loyalty_accounts ALTER COLUMN tier_discount_bp SET DEFAULT 0, ALTER COLUMN tier_discount_bp SET NOT NULL;
DROP TABLE loyalty_tiers;
ALTER TABLE billing_settings DROP COLUMN tier_basis;
