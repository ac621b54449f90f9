package billing

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/scheduling"
)

// prepare offers a just-booked session's draft, priced from a hint, as a statement that scheduling
// writes in one batch with the session (scheduling.Listener.Prepare): the booking then costs no
// BEGIN, no COMMIT and no round trip of its own for the draft. The statement checks the hint as
// guardedDraftSQL does and, when it is stale, raises an error that undoes the whole batch; the
// booking is then written again in a transaction and priced from fresh reads, so what is written
// is the same either way. It offers nothing without a hint, or for a back-dated visit (issued at once).
func (h *hints) prepare(ctx context.Context, db scheduling.DB, ch scheduling.Change) (scheduling.Prepared, bool, error) {
	sess := ch.Session
	if h == nil || ch.Action != scheduling.ActionBooked || sess.Status != scheduling.StatusWaiting {
		return scheduling.Prepared{}, false, nil
	}
	key, ok := h.dbKeyOf(db)
	if !ok {
		return scheduling.Prepared{}, false, nil
	}
	v := visitOf(sess)
	p, args, version, err := h.price(key, ch.At, v)
	if p == nil || err != nil {
		return scheduling.Prepared{}, false, err
	}
	args[0] = nil // the session's id: currval('sessions_id_seq') once the batch wrote it
	capture := CapturedFrom(ctx)
	scan := func(row pgx.Row) error {
		err := row.Scan(&p.id)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == sqlstateDraftUnwritten {
			if pgErr.Detail == detailPatientMarked {
				h.markPatient(key, v.PatientID)
			}
			return fmt.Errorf("save draft invoice: %w", scheduling.ErrUnprepared)
		}
		if err != nil {
			return fmt.Errorf("save draft invoice: %w", err)
		}
		if capture != nil {
			v.SessionID = sess.ID
			capture.keep(v, p)
		}
		return nil
	}
	return scheduling.Prepared{SQL: batchedDraftSQL, Args: append(args, version), Scan: scan}, true, nil
}

// dbKeyOf names the database of a pool or transaction as dbKey does, remembering it for a pool.
func (h *hints) dbKeyOf(db scheduling.DB) (string, bool) {
	switch db := db.(type) {
	case pgx.Tx:
		return dbKey(db.Conn().Config()), true
	case *pgxpool.Pool:
		if key, ok := h.pools.Load(db); ok {
			return key.(string), true
		}
		key := dbKey(db.Config().ConnConfig)
		h.pools.Store(db, key)
		return key, true
	}
	return "", false
}

// sqlstateDraftUnwritten and detailPatientMarked are the error billing_draft_unwritten raises
// (migration 00026) and its detail when the patient has money records.
const (
	sqlstateDraftUnwritten = "BH001"
	detailPatientMarked    = "patient has money records"
)

// batchedDraftSQL writes a new draft as guardedDraftSQL does, the session's id being the one the
// batch just wrote ($1 is NULL), and raises BH001 instead of writing nothing. It answers the draft's id.
var batchedDraftSQL = guardedDraft(
	strings.Replace(draftValues, "$1::bigint", "coalesce($1::bigint, currval('sessions_id_seq'))", 1),
	`coalesce(inv.id, billing_draft_unwritten(g.marked))`)
