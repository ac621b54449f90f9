package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"clinic/scheduling"
)

// The rules of a password, for the owner's page and clinicd user create alike. bcrypt reads at most
// 72 bytes, so a longer password would be cut without anyone knowing.
const (
	MinPasswordLength = 10
	MaxPasswordBytes  = 72
)

const (
	maxEmailLength = 254
	// userColumns read a User from users u; the last sign-in is the newest console session on record.
	userColumns = `u.id, u.email, u.role, coalesce(u.doctor_id, 0), u.created_at, u.disabled_at,
		(SELECT max(s.created_at) FROM console_sessions s WHERE s.user_id = u.id)`
)

// User is a console account as the owner's page lists it.
type User struct {
	ID    int64
	Email string
	Role  Role
	// DoctorID is the doctor a doctor's account acts for; 0 for other roles.
	DoctorID  scheduling.ID
	CreatedAt time.Time
	// DisabledAt is when the user was disabled; nil while they may sign in.
	DisabledAt *time.Time
	// LastSignIn is the start of their latest console session still on record; nil when none is.
	LastSignIn *time.Time
}

// NewUser is a user for AddUser to create.
type NewUser struct {
	Email, Password string
	Role            Role
	// DoctorID names the doctor of a doctor's account; 0 for other roles.
	DoctorID scheduling.ID
}

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Role, &u.DoctorID, &u.CreatedAt, &u.DisabledAt, &u.LastSignIn)
	return u, err
}

// checkPassword enforces the password rules.
func checkPassword(password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength {
		return scheduling.Invalid("weak_password", "a password needs at least %d characters; this one has %d", MinPasswordLength, n)
	}
	if len(password) > MaxPasswordBytes {
		return scheduling.Invalid("password_too_long", "a password can be at most %d bytes long (%d letters without accents)",
			MaxPasswordBytes, MaxPasswordBytes)
	}
	return nil
}

// cleanEmail trims and lower-cases an email and checks that it looks like one: one @ with something on
// both sides, no spaces, at most 254 characters.
func cleanEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	local, domain, ok := strings.Cut(email, "@")
	switch {
	case email == "":
		return "", scheduling.Invalid("email_required", "enter the email the user signs in with")
	case !utf8.ValidString(email) || strings.ContainsFunc(email, unicode.IsSpace) || strings.ContainsFunc(email, unicode.IsControl) ||
		!ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return "", scheduling.Invalid("invalid_email", "%q is not an email address", email)
	case utf8.RuneCountInString(email) > maxEmailLength:
		return "", scheduling.Invalid("invalid_email", "an email address has at most %d characters", maxEmailLength)
	}
	return email, nil
}

// parseRole reads a role as a domain error, for a person to read.
func parseRole(role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return scheduling.Invalid("invalid_role", "choose a role: owner, manager, doctor or receptionist")
	}
	return nil
}

// ListUsers returns every user: those who may sign in first, owners first, then by email.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM users u
		ORDER BY u.disabled_at IS NOT NULL, array_position(ARRAY['owner', 'manager', 'doctor', 'receptionist'], u.role), u.email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (User, error) { return scanUser(row) })
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// AddUser creates a console user, as an owner does on the users page. Unlike CreateUser it never
// changes an existing user: an email already in use is a conflict.
func (s *Store) AddUser(ctx context.Context, by Principal, in NewUser) (User, error) {
	if err := requireOwner(by); err != nil {
		return User{}, err
	}
	email, err := cleanEmail(in.Email)
	if err != nil {
		return User{}, err
	}
	if err := parseRole(in.Role); err != nil {
		return User{}, err
	}
	if err := checkDoctor("account", in.Role, in.DoctorID); err != nil {
		return User{}, err
	}
	if err := checkPassword(in.Password); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	var u User
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		words, err := roleWords(ctx, tx, in.Role, in.DoctorID)
		if err != nil {
			return err
		}
		u, err = scanUser(tx.QueryRow(ctx, `INSERT INTO users AS u (email, password_hash, role, doctor_id, created_at)
			VALUES ($1, $2, $3, nullif($4::bigint, 0), $5) ON CONFLICT (email) DO NOTHING RETURNING `+userColumns,
			email, string(hash), in.Role, in.DoctorID, s.now()))
		if errors.Is(err, pgx.ErrNoRows) {
			return scheduling.Conflict("email_taken", "there is already a user with the email %s", email)
		}
		if err != nil {
			return storeError("add user", err, in.DoctorID)
		}
		return s.record(ctx, tx, by, UserCreated, u.ID, u.Email, words)
	})
	return u, err
}

// SetUserRole gives a user another role (and a doctor's account its doctor). An owner cannot change
// their own role, and the last active owner keeps theirs.
func (s *Store) SetUserRole(ctx context.Context, by Principal, id int64, role Role, doctor scheduling.ID) (User, error) {
	if err := requireOwner(by); err != nil {
		return User{}, err
	}
	if err := parseRole(role); err != nil {
		return User{}, err
	}
	if err := checkDoctor("account", role, doctor); err != nil {
		return User{}, err
	}
	return s.changeUser(ctx, id, func(tx pgx.Tx, u User) (User, error) {
		if u.Role == role && u.DoctorID == doctor {
			return u, nil
		}
		if by.Kind == "user" && by.ID == u.ID {
			return User{}, scheduling.Rule("own_account", "you cannot change your own role; another owner must do it")
		}
		if u.Role == Owner && role != Owner {
			if err := keepAnOwner(ctx, tx, u); err != nil {
				return User{}, err
			}
		}
		before, err := roleWords(ctx, tx, u.Role, u.DoctorID)
		if err != nil {
			return User{}, err
		}
		after, err := roleWords(ctx, tx, role, doctor)
		if err != nil {
			return User{}, err
		}
		changed, err := scanUser(tx.QueryRow(ctx, `UPDATE users AS u SET role = $2, doctor_id = nullif($3::bigint, 0)
			WHERE id = $1 RETURNING `+userColumns, id, role, doctor))
		if err != nil {
			return User{}, storeError("change role", err, doctor)
		}
		return changed, s.record(ctx, tx, by, UserRoleChanged, u.ID, u.Email, before+" → "+after)
	})
}

// DisableUser stops a user from signing in and ends their console sessions at once. An owner cannot
// disable themselves, and the last active owner cannot be disabled. Disabling a disabled user
// changes nothing.
func (s *Store) DisableUser(ctx context.Context, by Principal, id int64) (User, error) {
	if err := requireOwner(by); err != nil {
		return User{}, err
	}
	return s.changeUser(ctx, id, func(tx pgx.Tx, u User) (User, error) {
		if u.DisabledAt != nil {
			return u, nil
		}
		if by.Kind == "user" && by.ID == u.ID {
			return User{}, scheduling.Rule("own_account", "you cannot disable your own account; another owner must do it")
		}
		if u.Role == Owner {
			if err := keepAnOwner(ctx, tx, u); err != nil {
				return User{}, err
			}
		}
		changed, err := scanUser(tx.QueryRow(ctx, `UPDATE users AS u SET disabled_at = $2 WHERE id = $1 RETURNING `+userColumns,
			id, s.now()))
		if err != nil {
			return User{}, fmt.Errorf("disable user %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM console_sessions WHERE user_id = $1`, id); err != nil {
			return User{}, fmt.Errorf("end the sessions of user %d: %w", id, err)
		}
		return changed, s.record(ctx, tx, by, UserDisabled, u.ID, u.Email, string(u.Role))
	})
}

// EnableUser lets a disabled user sign in again; enabling an enabled user changes nothing.
func (s *Store) EnableUser(ctx context.Context, by Principal, id int64) (User, error) {
	if err := requireOwner(by); err != nil {
		return User{}, err
	}
	return s.changeUser(ctx, id, func(tx pgx.Tx, u User) (User, error) {
		if u.DisabledAt == nil {
			return u, nil
		}
		changed, err := scanUser(tx.QueryRow(ctx, `UPDATE users AS u SET disabled_at = NULL WHERE id = $1 RETURNING `+userColumns, id))
		if err != nil {
			return User{}, fmt.Errorf("enable user %d: %w", id, err)
		}
		return changed, s.record(ctx, tx, by, UserEnabled, u.ID, u.Email, string(u.Role))
	})
}

// changeUser runs change on user id in a transaction that first locks the users table against other
// writers. Changes to roles and disabling thus happen one at a time, so two owners demoting each
// other at once cannot both see the other as the owner who remains: the second waits, then sees
// the first change and is refused.
func (s *Store) changeUser(ctx context.Context, id int64, change func(tx pgx.Tx, u User) (User, error)) (User, error) {
	var out User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock users: %w", err)
		}
		u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return scheduling.NotFound("user", scheduling.ID(id))
		}
		if err != nil {
			return fmt.Errorf("read user %d: %w", id, err)
		}
		out, err = change(tx, u)
		return err
	})
	return out, err
}

// keepAnOwner refuses to take away the owner role or access of u when no other active owner remains.
func keepAnOwner(ctx context.Context, tx pgx.Tx, u User) error {
	if u.DisabledAt != nil {
		return nil
	}
	var others int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM users
		WHERE role = 'owner' AND disabled_at IS NULL AND id <> $1`, u.ID).Scan(&others); err != nil {
		return fmt.Errorf("count owners: %w", err)
	}
	if others == 0 {
		return scheduling.Rule("last_owner", "%s is the last active owner; make another user an owner first", u.Email)
	}
	return nil
}
