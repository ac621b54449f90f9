-- +goose Up
-- A transaction may take over announcing its messages: with clinic.inbox_quiet set to 'on' (SET
-- LOCAL), the message trigger stays quiet and the application announces the conversation after the
-- commit. A NOTIFY makes PostgreSQL serialise the commits of every notifying transaction, so the bot's
-- busy path announces many conversations in one statement outside its transactions instead.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION inbox_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('clinic.inbox_quiet', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('inbox_changed', 'conversation:' || NEW.conversation_id);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION inbox_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('inbox_changed', 'conversation:' || NEW.conversation_id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
