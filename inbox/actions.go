package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"clinic/inbox/texts"
	"clinic/scheduling"
)

// Staff is the member of staff acting on a request.
type Staff struct {
	// UserID is their user account; nil for an API token.
	UserID *ID
	// Name is how patients' conversations and the audit trail name them.
	Name string
	// Actor names them in the sessions' audit trail.
	Actor scheduling.Actor
}

// Assign gives the request to a staff user (nil: to nobody). A new request is then in progress.
func (s *Store) Assign(ctx context.Context, id ID, userID *ID) (*Request, error) {
	err := s.inTx(ctx, nil, func(tx pgx.Tx) error {
		if userID != nil {
			var ok bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NULL)`, *userID).Scan(&ok)
			if err != nil {
				return fmt.Errorf("look up user: %w", err)
			}
			if !ok {
				return rule("unknown_user", "user %d does not exist or is disabled", *userID)
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE requests SET assignee_id = $2, updated_at = $3,
				status = CASE WHEN status = 'new' AND $2::bigint IS NOT NULL THEN 'in_progress' ELSE status END
			WHERE id = $1`, id, userID, s.now())
		if err != nil {
			return fmt.Errorf("assign request %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("request", id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.request(ctx, nil, id)
}

// Reply sends a staff member's text to the patient on the request's channel, signed with their name.
// Staff then hold the conversation: the bot stays quiet until they hand it back. key makes a retried
// reply send once (empty: every call sends).
func (s *Store) Reply(ctx context.Context, id ID, by Staff, text, key string) (*Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, rule("missing_text", "a reply needs text")
	}
	if key != "" {
		key = "reply:" + key
	}
	var msg *Message
	err := s.inTx(ctx, nil, func(tx pgx.Tx) error {
		conv, err := s.conversationOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE requests SET updated_at = $2,
				status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END WHERE id = $1`, id, s.now()); err != nil {
			return fmt.Errorf("mark request %d in progress: %w", id, err)
		}
		if !conv.Handover {
			conv.Handover = true
			if err := s.UpdateConversation(ctx, tx, conv); err != nil {
				return err
			}
		}
		msg, err = s.say(ctx, tx, conv, Outbound{Key: key, Text: text}, author{userID: by.UserID, name: by.Name})
		return err
	})
	return msg, err
}

// conversationOf locks the request and returns its conversation; a request from the web form has
// none, and answers a rule error saying so.
func (s *Store) conversationOf(ctx context.Context, tx pgx.Tx, id ID) (*Conversation, error) {
	var convID *ID
	if err := tx.QueryRow(ctx, `SELECT conversation_id FROM requests WHERE id = $1 FOR UPDATE`, id).Scan(&convID); err != nil {
		return nil, noRows(err, "request", id)
	}
	if convID == nil {
		return nil, rule("no_conversation", "this request came from the booking form and has no chat to reply in; call or write to the patient instead")
	}
	conv, err := scanConversation(tx.QueryRow(ctx, `SELECT `+conversationColumns+` FROM conversations c WHERE c.id = $1`, *convID))
	if err != nil {
		return nil, fmt.Errorf("load conversation of request %d: %w", id, err)
	}
	return conv, nil
}

// Reject closes a request with a reason staff give. Rejecting it again changes nothing; a converted
// request cannot be rejected.
func (s *Store) Reject(ctx context.Context, id ID, reason string) (*Request, error) {
	reason = cut(strings.TrimSpace(reason), maxReason)
	if reason == "" {
		return nil, rule("missing_reason", "a rejection needs a reason")
	}
	var status Status
	err := s.pool.QueryRow(ctx, `UPDATE requests r SET status = 'rejected', reject_reason = $2, updated_at = $3
		FROM (SELECT id, status FROM requests WHERE id = $1 FOR UPDATE) old
		WHERE r.id = old.id AND old.status IN ('new', 'in_progress', 'expired')
		RETURNING old.status`, id, reason, s.now()).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		r, err := s.request(ctx, nil, id)
		if err != nil {
			return nil, err
		}
		if r.Status == StatusRejected {
			return r, nil
		}
		return nil, conflict(scheduling.CodeInvalidTransition, "request %d is %s and cannot be rejected", id, r.Status)
	}
	if err != nil {
		return nil, fmt.Errorf("reject request %d: %w", id, err)
	}
	return s.request(ctx, nil, id)
}

// Handback gives the request's conversation back to the bot, telling the patient so.
func (s *Store) Handback(ctx context.Context, id ID) (*Lead, error) {
	err := s.inTx(ctx, nil, func(tx pgx.Tx) error {
		conv, err := s.conversationOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if !conv.Handover {
			return nil
		}
		conv.Handover = false
		if err := s.UpdateConversation(ctx, tx, conv); err != nil {
			return err
		}
		lang, err := s.langOf(ctx, tx, conv.Lang)
		if err != nil {
			return err
		}
		_, err = s.say(ctx, tx, conv, Outbound{Text: texts.T(lang, "inbox.handback"), Lang: lang}, author{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// langOf is the language to write to a patient in: theirs, else the clinic's default.
func (s *Store) langOf(ctx context.Context, tx pgx.Tx, lang string) (string, error) {
	if texts.Supported(lang) {
		return texts.Lang(lang), nil
	}
	st, err := s.settings(ctx, tx)
	if err != nil {
		return "", err
	}
	return st.DefaultLang, nil
}

// Expire closes the requests nobody acted on for longer than the clinic's expiry: new or in progress,
// with neither the request nor its conversation changed since. It returns how many expired.
func (s *Store) Expire(ctx context.Context) (int, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	tag, err := s.pool.Exec(ctx, `UPDATE requests r SET status = 'expired', updated_at = $1
		WHERE r.status IN ('new', 'in_progress') AND r.updated_at < $2
		AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = r.conversation_id AND c.updated_at >= $2)`,
		now, now.Add(-st.RequestExpiry))
	if err != nil {
		return 0, fmt.Errorf("expire requests: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
