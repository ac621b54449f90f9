package scheduling

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// insertPrepared writes a booked session together with the statements its listeners prepared for
// it, in one batch: the batch runs as one implicit transaction, so either all of it is written or
// none. It reports false, having written nothing, when a listener cannot prepare its statement or
// finds it out of date; the caller then writes the booking in a transaction, with the listeners'
// Hear. A refused session answers as insertSession's does.
func (s *Service) insertPrepared(ctx context.Context, actor Actor, sess *Session, idem idempotency, now time.Time) (bool, error) {
	ch := Change{Action: ActionBooked, Actor: actor, Session: sess, At: now}
	var prepared []Prepared
	for _, l := range s.cfg.Listeners {
		if !l.hears(ActionBooked) {
			continue
		}
		if l.Prepare == nil {
			return false, nil
		}
		p, ok, err := l.Prepare(ctx, s.db, ch)
		if err != nil || !ok {
			return false, err
		}
		prepared = append(prepared, p)
	}
	batch := &pgx.Batch{}
	batch.Queue(insertSessionSQL, s.insertSessionArgs(actor, sess, idem, now)...).QueryRow(func(row pgx.Row) error {
		if err := scanInserted(row, sess); err != nil {
			return s.writeError(err, sess, "insert session")
		}
		return nil
	})
	for _, p := range prepared {
		batch.Queue(p.SQL, p.Args...).QueryRow(p.Scan)
	}
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		sess.ID = 0 // nothing of the batch was kept
		if errors.Is(err, ErrUnprepared) {
			return false, nil
		}
		return true, err
	}
	sess.CreatedAt = now.In(sess.Start.Location())
	return true, nil
}
