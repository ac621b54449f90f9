-- +goose Up
-- The console's inbox follows requests and conversations live: each committed change to a booking
-- request says "request:ID", each new or updated message (a delivery state too) says
-- "conversation:ID" on the inbox_changed channel. PostgreSQL sends a notice only when its
-- transaction commits, and one transaction's repeats of the same payload once.

-- +goose StatementBegin
CREATE FUNCTION inbox_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('inbox_changed', 'request:' || NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION inbox_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('inbox_changed', 'conversation:' || NEW.conversation_id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER inbox_request_changed AFTER INSERT OR UPDATE ON requests
    FOR EACH ROW EXECUTE FUNCTION inbox_request_changed();
CREATE TRIGGER inbox_message_changed AFTER INSERT OR UPDATE ON messages
    FOR EACH ROW EXECUTE FUNCTION inbox_message_changed();

-- +goose Down
DROP TRIGGER inbox_message_changed ON messages;
DROP TRIGGER inbox_request_changed ON requests;
DROP FUNCTION inbox_message_changed();
DROP FUNCTION inbox_request_changed();
