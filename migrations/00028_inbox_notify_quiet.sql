-- +goose Up
-- A transaction may take over announcing its messages: with clinic.inbox_quiet set to 'on' (SET
-- LOCAL), the message trigger does not fire and the application announces the conversation after the
-- commit. A NOTIFY makes PostgreSQL serialise the commits of every notifying transaction, so the bot's
-- busy path announces many conversations in one statement outside its transactions instead. The
-- condition is the trigger's WHEN, which PostgreSQL checks without calling the function.
DROP TRIGGER inbox_message_changed ON messages;
CREATE TRIGGER inbox_message_changed AFTER INSERT OR UPDATE ON messages
    FOR EACH ROW WHEN (current_setting('clinic.inbox_quiet', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION inbox_message_changed();

-- +goose Down
DROP TRIGGER inbox_message_changed ON messages;
CREATE TRIGGER inbox_message_changed AFTER INSERT OR UPDATE ON messages
    FOR EACH ROW EXECUTE FUNCTION inbox_message_changed();
