package inbox

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/inbox/texts"
	"clinic/scheduling"
	"clinic/scheduling/privacy"
)

// Visit is what a confirm link shows the patient: their visit, with times in the branch's zone.
type Visit struct {
	SessionID    ID        `json:"session_id"`
	Examinations []string  `json:"examinations"`
	Branch       string    `json:"branch"`
	Doctor       string    `json:"doctor"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	// Status is the session's status (waiting, open, completed, cancelled, no_show).
	Status      string     `json:"status"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	// TrackingURL follows the patient's place in the queue on the visit's day; empty once the day
	// is over or the visit is no longer waiting.
	TrackingURL string `json:"tracking_url,omitempty"`
	// CanCancel tells whether the patient may still cancel through the link, until CancelUntil.
	CanCancel   bool      `json:"can_cancel"`
	CancelUntil time.Time `json:"cancel_until"`
	// Lang is the patient's language, for the page.
	Lang string `json:"lang"`
}

// patientActor names the patient in a session's audit trail when they act through their link.
const patientActor scheduling.Actor = "patient (confirm link)"

// errUnknownLink answers every token that is not a live link alike, so a guess learns nothing.
func errUnknownLink() error {
	return &scheduling.Error{Kind: scheduling.KindNotFound, Code: scheduling.CodeNotFound,
		Message: "this link is not valid or has expired; please contact the clinic"}
}

// link is a live confirm link, locked for the caller's transaction.
type link struct {
	id, requestID, sessionID, patientID ID
	phone                               string
	confirmedAt                         *time.Time
	convID                              *ID
	lang                                string
}

// openLink finds and locks the live link of token. A link works until its visit ends, later when the
// visit was moved later since the link was made.
func (s *Store) openLink(ctx context.Context, tx pgx.Tx, token string) (*link, error) {
	if token == "" || len(token) > 100 {
		return nil, errUnknownLink()
	}
	sum := sha256.Sum256([]byte(token))
	var l link
	err := tx.QueryRow(ctx, `SELECT l.id, l.request_id, l.session_id, l.patient_id, l.phone, l.confirmed_at,
			r.conversation_id, COALESCE(NULLIF(c.lang, ''), r.lang)
		FROM confirm_links l JOIN requests r ON r.id = l.request_id JOIN sessions s ON s.id = l.session_id
		LEFT JOIN conversations c ON c.id = r.conversation_id
		WHERE l.token_hash = $1 AND GREATEST(l.expires_at, s.ends_at) > $2
		FOR UPDATE OF l`, sum[:], s.now()).
		Scan(&l.id, &l.requestID, &l.sessionID, &l.patientID, &l.phone, &l.confirmedAt, &l.convID, &l.lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errUnknownLink()
	}
	if err != nil {
		return nil, fmt.Errorf("open confirm link: %w", err)
	}
	return &l, nil
}

// Confirm opens a confirm link: the first time, it records the confirmation and links the phone the
// link went to (now verified) and the request's conversation to the patient (DESIGN 3.5). Every time
// it returns the visit with a fresh queue-tracking link. An unknown or expired token is not found.
func (s *Store) Confirm(ctx context.Context, token string) (*Visit, error) {
	var v *Visit
	err := s.inTx(ctx, nil, func(tx pgx.Tx) error {
		l, err := s.openLink(ctx, tx, token)
		if err != nil {
			return err
		}
		sess, err := s.sched.WithTx(tx).GetSession(ctx, l.sessionID)
		if err != nil {
			return noLink(err)
		}
		if l.confirmedAt == nil && sess.Status != scheduling.StatusCancelled {
			now := s.now()
			l.confirmedAt = &now
			if _, err := tx.Exec(ctx, `UPDATE confirm_links SET confirmed_at = $2 WHERE id = $1`, l.id, now); err != nil {
				return fmt.Errorf("record confirmation: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE conversations SET patient_id = $1, updated_at = $4
				WHERE patient_id IS NULL AND (id = $2 OR ($3 <> '' AND phone = $3))`,
				l.patientID, l.convID, l.phone, now); err != nil {
				return fmt.Errorf("link conversations to patient: %w", err)
			}
		}
		if v, err = s.visitFor(ctx, tx, l, sess); err != nil {
			return err
		}
		if sess.Status == scheduling.StatusWaiting || sess.Status == scheduling.StatusOpen {
			token, _, err := privacy.NewStore(tx, s.now).TrackingLink(ctx, sess, patientActor)
			if err == nil {
				v.TrackingURL = strings.TrimRight(s.cfg.BaseURL, "/") + "/q/" + token
			} else if !scheduling.IsCode(err, "session_day_over") {
				return err
			}
		}
		return nil
	})
	return v, err
}

// CancelByToken cancels the visit of a confirm link with the patient's reason, up to the clinic's
// cut-off before it starts, and tells the patient on their channel. Cancelling a cancelled visit
// changes nothing.
func (s *Store) CancelByToken(ctx context.Context, token, reason string) (*Visit, error) {
	reason = cut(strings.TrimSpace(reason), 400)
	var v *Visit
	err := s.inTx(ctx, nil, func(tx pgx.Tx) error {
		l, err := s.openLink(ctx, tx, token)
		if err != nil {
			return err
		}
		sched := s.sched.WithTx(tx)
		sess, err := sched.GetSession(ctx, l.sessionID)
		if err != nil {
			return noLink(err)
		}
		if sess.Status != scheduling.StatusCancelled {
			if v, err = s.visitFor(ctx, tx, l, sess); err != nil {
				return err
			}
			if !v.CanCancel {
				return rule("cancel_cutoff", "this visit can no longer be cancelled online; please call the clinic")
			}
			why := "cancelled by the patient"
			if reason != "" {
				why += ": " + reason
			}
			if sess, err = sched.Cancel(ctx, patientActor, sess.ID, why); err != nil {
				return err
			}
			if err := s.tellCancelled(ctx, tx, l, sess); err != nil {
				return err
			}
		}
		v, err = s.visitFor(ctx, tx, l, sess)
		return err
	})
	return v, err
}

// tellCancelled tells the patient on the request's conversation that their visit is cancelled.
func (s *Store) tellCancelled(ctx context.Context, tx pgx.Tx, l *link, sess *scheduling.Session) error {
	if l.convID == nil {
		return nil
	}
	conv, err := scanConversation(tx.QueryRow(ctx, `SELECT `+conversationColumns+` FROM conversations c WHERE c.id = $1`, *l.convID))
	if err != nil {
		return fmt.Errorf("load conversation: %w", err)
	}
	if !conv.Consent {
		return nil
	}
	lang, err := s.langOf(ctx, tx, l.lang)
	if err != nil {
		return err
	}
	text := texts.T(lang, "inbox.visit_cancelled", sess.Start.Format("2006-01-02"), sess.Start.Format("15:04"))
	_, err = s.say(ctx, tx, conv, Outbound{Key: fmt.Sprintf("cancelled:%d", sess.ID), Text: text, Lang: lang}, author{})
	return err
}

// noLink hides a session deleted since the link was made behind the unknown-link answer.
func noLink(err error) error {
	var e *scheduling.Error
	if asError(err, &e) && e.Kind == scheduling.KindNotFound {
		return errUnknownLink()
	}
	return err
}

func (s *Store) visitFor(ctx context.Context, tx pgx.Tx, l *link, sess *scheduling.Session) (*Visit, error) {
	v, err := s.visitOf(ctx, tx, sess)
	if err != nil {
		return nil, err
	}
	st, err := s.settings(ctx, tx)
	if err != nil {
		return nil, err
	}
	v.ConfirmedAt = l.confirmedAt
	v.CancelUntil = sess.Start.Add(-st.CancelCutoff)
	v.CanCancel = sess.Status == scheduling.StatusWaiting && s.now().Before(v.CancelUntil)
	v.Lang = texts.Lang(firstOf(l.lang, st.DefaultLang))
	return v, nil
}

// visitOf describes a session with its branch's and doctor's names.
func (s *Store) visitOf(ctx context.Context, tx pgx.Tx, sess *scheduling.Session) (*Visit, error) {
	v := &Visit{SessionID: sess.ID, Start: sess.Start, End: sess.End, Status: sess.Status, Examinations: []string{}}
	var tz string
	err := tx.QueryRow(ctx, `SELECT b.name, b.timezone, d.name FROM branches b, doctors d WHERE b.id = $1 AND d.id = $2`,
		sess.BranchID, sess.DoctorID).Scan(&v.Branch, &tz, &v.Doctor)
	if err != nil {
		return nil, fmt.Errorf("describe session %d: %w", sess.ID, err)
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		v.Start, v.End = v.Start.In(loc), v.End.In(loc)
	}
	for _, e := range sess.Examinations {
		v.Examinations = append(v.Examinations, e.Name)
	}
	return v, nil
}
