package access

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"clinic/scheduling"
)

// CreateUser adds a console user with a bcrypt-hashed password, or replaces the password, role and
// doctor of the user with that email and enables it again: the server's own way back in. A doctor's
// account names its doctor; other roles pass 0. The last active owner keeps the owner role.
func (s *Store) CreateUser(ctx context.Context, email, password string, role Role, doctor scheduling.ID) (int64, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return 0, fmt.Errorf("%q is not an email address", email)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return 0, err
	}
	if err := checkDoctor("account", role, doctor); err != nil {
		return 0, err
	}
	if err := checkPassword(password); err != nil {
		return 0, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return 0, fmt.Errorf("hash password: %w", err)
	}
	var id int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Locked as for any change of role (changeUser), so the last owner cannot be demoted by a race.
		if _, err := tx.Exec(ctx, `LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock users: %w", err)
		}
		if role != Owner {
			u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = $1`, email))
			if err == nil && u.Role == Owner {
				if err := keepAnOwner(ctx, tx, u); err != nil {
					return err
				}
			} else if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("read user %s: %w", email, err)
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO users (email, password_hash, role, doctor_id, created_at)
			VALUES ($1, $2, $3, nullif($4::bigint, 0), $5)
			ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
				doctor_id = excluded.doctor_id, disabled_at = NULL
			RETURNING id`, email, string(hash), role, doctor, s.now()).Scan(&id)
		if err != nil {
			return storeError("store user", err, doctor)
		}
		return nil
	})
	return id, err
}

// Login checks a console user's password. A disabled user is refused like a wrong password.
func (s *Store) Login(ctx context.Context, email, password string) (Principal, error) {
	var hash string
	p := Principal{Kind: "user", Name: strings.ToLower(strings.TrimSpace(email))}
	err := s.db.QueryRow(ctx, `SELECT id, role, coalesce(doctor_id, 0), password_hash FROM users
		WHERE email = $1 AND disabled_at IS NULL`, p.Name).
		Scan(&p.ID, &p.Role, &p.DoctorID, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		// Hash anyway so a missing account takes as long as a wrong password.
		bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1xZbG5i3aJZ0zP0iZa4cB5e"), []byte(password))
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("login: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Principal{}, ErrUnauthenticated
	}
	return p, nil
}
