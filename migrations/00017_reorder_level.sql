-- +goose Up
-- The stock level under which a branch should order an item again; 0 means no level is set.
ALTER TABLE inventory_stock ADD COLUMN reorder_level bigint NOT NULL DEFAULT 0 CHECK (reorder_level >= 0);

-- +goose Down
ALTER TABLE inventory_stock DROP COLUMN reorder_level;
