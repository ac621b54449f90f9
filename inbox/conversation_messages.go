package inbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// ConversationMessages returns the conversation at a channel address and its latest limit messages,
// oldest first (all when limit is 0), for a patient's own view of the thread (the website chat
// redrawn after a reload, with staff's replies). An unknown address is not_found.
func (s *Store) ConversationMessages(ctx context.Context, ch Channel, address string, limit int) (*Conversation, []Message, error) {
	conv, err := scanConversation(s.pool.QueryRow(ctx, `SELECT `+conversationColumns+` FROM conversations c
		WHERE c.channel = $1 AND c.address = $2`, ch, address))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, &scheduling.Error{Kind: scheduling.KindNotFound, Code: scheduling.CodeNotFound,
			Message: "no such conversation"}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load conversation at %s address: %w", ch, err)
	}
	if limit <= 0 {
		limit = maxListedMessages
	}
	rows, err := s.pool.Query(ctx, `SELECT * FROM (SELECT `+messageColumns+` FROM messages m
		WHERE m.conversation_id = $1 ORDER BY m.id DESC LIMIT $2) l ORDER BY l.id`, conv.ID, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("load conversation %d messages: %w", conv.ID, err)
	}
	msgs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Message, error) {
		m, err := scanMessage(row)
		if err != nil {
			return Message{}, err
		}
		return *m, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load conversation %d messages: %w", conv.ID, err)
	}
	return conv, msgs, nil
}

// maxListedMessages bounds one read of a conversation.
const maxListedMessages = 500
