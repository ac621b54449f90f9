package billing

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// MaxPoints bounds a loyalty balance.
const MaxPoints = 1_000_000_000_000

// PatientPackage is a prepaid package of a patient.
type PatientPackage struct {
	ID             scheduling.ID   `json:"id"`
	PatientID      scheduling.ID   `json:"patient_id"`
	Name           string          `json:"name"`
	ExaminationIDs []scheduling.ID `json:"examination_ids"`
	Uses           int64           `json:"uses"`
	UsesLeft       int64           `json:"uses_left"`
	ExpiresOn      *string         `json:"expires_on"`
	CreatedAt      time.Time       `json:"created_at"`
}

// PackageInput is what selling a package takes.
type PackageInput struct {
	Name           string          `json:"name"`
	ExaminationIDs []scheduling.ID `json:"examination_ids"`
	Uses           *int64          `json:"uses"`
	ExpiresOn      *string         `json:"expires_on"`
}

// AddPackage records a prepaid package for a patient, with all its uses left.
func (s *Store) AddPackage(ctx context.Context, actor scheduling.Actor, patientID scheduling.ID, in PackageInput) (*PatientPackage, error) {
	name, err := cleanName("name", in.Name)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Uses == nil:
		return nil, scheduling.Rule("missing_uses", "uses is required")
	case *in.Uses < 1 || *in.Uses > MaxQuantity:
		return nil, scheduling.Rule("invalid_uses", "uses must be between 1 and %d, got %d", MaxQuantity, *in.Uses)
	}
	if err := checkIDList("examination_ids", in.ExaminationIDs, true); err != nil {
		return nil, err
	}
	now := s.now()
	var expires *string
	if in.ExpiresOn != nil {
		d, err := scheduling.ParseDate(*in.ExpiresOn)
		if err != nil {
			return nil, err
		}
		if dateKey(d) < dateKey(scheduling.DateOf(now)) {
			return nil, scheduling.Rule("expires_in_past", "expires_on %s is in the past: the package could never be used", *in.ExpiresOn)
		}
		expires = ptrTo(dateString(d))
	}
	p := &PatientPackage{PatientID: patientID, Name: name, ExaminationIDs: dedupe(in.ExaminationIDs), Uses: *in.Uses,
		UsesLeft: *in.Uses, ExpiresOn: expires, CreatedAt: now}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := patientExists(ctx, tx, patientID); err != nil {
			return err
		}
		if err := examinationsExist(ctx, tx, p.ExaminationIDs); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO patient_packages (patient_id, name, uses, uses_left, expires_on, created_at, created_by)
			VALUES ($1, $2, $3, $3, $4::date, $5, $6) RETURNING id`, patientID, name, p.Uses, expires, now, string(actor)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert package: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO package_examinations (package_id, examination_id) SELECT $1, x FROM unnest($2::bigint[]) x`,
			p.ID, p.ExaminationIDs)
		if err != nil {
			return fmt.Errorf("insert package examinations: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func cleanName(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", scheduling.Invalid("invalid_text", "%s is not valid UTF-8 text", field)
	}
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", scheduling.Rule("missing_"+field, "%s is required", field)
	case n > scheduling.MaxNameLength:
		return "", scheduling.Rule("too_long", "%s has %d characters; at most %d are allowed", field, n, scheduling.MaxNameLength)
	}
	return s, nil
}

// checkIDList bounds a list of ids; required says whether it may be empty.
func checkIDList(field string, ids []scheduling.ID, required bool) error {
	switch {
	case required && len(ids) == 0:
		return scheduling.Rule("missing_examinations", "%s needs at least one examination", field)
	case len(ids) > scheduling.MaxListLength:
		return scheduling.Rule("too_many", "%s may list at most %d ids, got %d", field, scheduling.MaxListLength, len(ids))
	}
	return nil
}

// examinationsExist answers not found for the lowest id that names no examination.
func examinationsExist(ctx context.Context, tx pgx.Tx, ids []scheduling.ID) error {
	if len(ids) == 0 {
		return nil
	}
	var missing *scheduling.ID
	err := tx.QueryRow(ctx, `SELECT min(x) FROM unnest($1::bigint[]) x WHERE NOT EXISTS (SELECT 1 FROM examinations e WHERE e.id = x)`,
		ids).Scan(&missing)
	if err != nil {
		return fmt.Errorf("check examinations: %w", err)
	}
	if missing != nil {
		return scheduling.NotFound("examination", *missing)
	}
	return nil
}

// dedupe returns ids without repeats, in first-seen order.
func dedupe(ids []scheduling.ID) []scheduling.ID {
	out := make([]scheduling.ID, 0, len(ids))
	seen := make(map[scheduling.ID]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }

// Packages lists a patient's packages, the newest first, used up and expired ones included.
func (s *Store) Packages(ctx context.Context, patientID scheduling.ID) ([]PatientPackage, error) {
	if err := patientExists(ctx, s.db, patientID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT p.id, p.patient_id, p.name,
			array(SELECT examination_id FROM package_examinations WHERE package_id = p.id ORDER BY 1),
			p.uses, p.uses_left, to_char(p.expires_on, 'YYYY-MM-DD'), p.created_at
		FROM patient_packages p WHERE p.patient_id = $1 ORDER BY p.id DESC`, patientID)
	if err != nil {
		return nil, fmt.Errorf("list packages: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (PatientPackage, error) {
		var p PatientPackage
		var uses, left int32
		err := row.Scan(&p.ID, &p.PatientID, &p.Name, &p.ExaminationIDs, &uses, &left, &p.ExpiresOn, &p.CreatedAt)
		p.Uses, p.UsesLeft = int64(uses), int64(left)
		return p, err
	})
}
