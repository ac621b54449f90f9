-- +goose Up
-- A booking may be written in one batch with its draft invoice priced from memory (billing's hints).
-- When the statement finds the catalog moved on, or the patient with money records, it must undo the
-- whole batch, the session included, so that the booking is written again with fresh prices: this
-- function raises the error that does so, SQLSTATE BH001, its detail saying which it was.
-- +goose StatementBegin
CREATE FUNCTION billing_draft_unwritten(marked boolean) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the draft invoice was priced from settings that have changed'
        USING ERRCODE = 'BH001', DETAIL = CASE WHEN marked THEN 'patient has money records' ELSE 'catalog changed' END;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION billing_draft_unwritten(boolean);
