package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Action is a change to users or tokens recorded in the audit trail.
type Action string

// The recorded actions (migration 00012 lists the same).
const (
	UserCreated     Action = "user_created"
	UserRoleChanged Action = "user_role_changed"
	UserDisabled    Action = "user_disabled"
	UserEnabled     Action = "user_enabled"
	TokenCreated    Action = "token_created"
	TokenRevoked    Action = "token_revoked"
)

// Event is one recorded change: who did what to which user or token, and when (DESIGN 7).
type Event struct {
	ID int64
	At time.Time
	// Actor is the principal who made the change, as Principal.Actor names it.
	Actor  string
	Action Action
	// SubjectID and Subject are the user's or token's id, and its email or name at the time.
	SubjectID int64
	Subject   string
	// Detail is the role given, or the old and new roles, in words.
	Detail string
}

// ActorName is the name part of Actor ("owner@clinic.test" of "user:1 owner@clinic.test").
func (e Event) ActorName() string {
	if _, name, ok := strings.Cut(e.Actor, " "); ok {
		return name
	}
	return e.Actor
}

// record writes an event at the store's clock.
func (s *Store) record(ctx context.Context, q Querier, by Principal, action Action, subjectID int64, subject, detail string) error {
	_, err := q.Exec(ctx, `INSERT INTO access_events (at, actor, action, subject_id, subject, detail)
		VALUES ($1, $2, $3, $4, $5, $6)`, s.now(), by.Actor(), action, subjectID, subject, detail)
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

// ListEvents returns the latest changes to users and tokens, newest first, at most limit of them.
func (s *Store) ListEvents(ctx context.Context, limit int) ([]Event, error) {
	rows, err := s.db.Query(ctx, `SELECT id, at, actor, action, subject_id, subject, detail FROM access_events
		ORDER BY at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list access events: %w", err)
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		err := row.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.SubjectID, &e.Subject, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list access events: %w", err)
	}
	return events, nil
}

// requireOwner refuses a change to users or tokens by anyone but an owner.
func requireOwner(by Principal) error {
	if by.Role != Owner {
		return scheduling.Forbidden("only an owner may manage users and API tokens")
	}
	return nil
}

// roleWords describes a role for the audit trail, naming a doctor's doctor; it also checks that the
// doctor exists, so a wrong one is refused before anything is written.
func roleWords(ctx context.Context, q Querier, role Role, doctor scheduling.ID) (string, error) {
	if role != Doctor {
		return string(role), nil
	}
	var name string
	err := q.QueryRow(ctx, `SELECT name FROM doctors WHERE id = $1`, doctor).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", scheduling.NotFound("doctor", doctor)
	}
	if err != nil {
		return "", fmt.Errorf("read doctor %d: %w", doctor, err)
	}
	return "doctor for " + name, nil
}

// beginner starts a transaction: a *pgxpool.Pool, or a pgx.Tx (a savepoint).
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// inTx runs fn in a transaction on the store's database, committed when fn succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	b, ok := s.db.(beginner)
	if !ok {
		return errors.New("access: the store's database cannot begin a transaction")
	}
	return pgx.BeginFunc(ctx, b, fn)
}
