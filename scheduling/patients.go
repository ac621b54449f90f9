package scheduling

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nyaruka/phonenumbers"
)

// Patient is a person the clinic treats; the phone (E.164) identifies them across channels.
type Patient struct {
	ID        ID      `json:"id"`
	Name      string  `json:"name"`
	Phone     string  `json:"phone"`
	Email     *string `json:"email"`
	BirthDate *string `json:"birth_date"`
}

// PatientInput is what registering a patient takes.
type PatientInput struct {
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	BirthDate string `json:"birth_date"`
}

// NormalizePhone returns the number in E.164, or a rule error when it is not a valid number.
// Numbers without a country code are read in region (empty region: they are refused).
func NormalizePhone(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", rule("missing_phone", "phone is required")
	}
	if region == "" && !strings.HasPrefix(raw, "+") && !strings.HasPrefix(raw, "00") {
		return "", rule("invalid_phone", "phone %q needs a country code (+…)", raw)
	}
	if strings.HasPrefix(raw, "00") {
		raw = "+" + raw[2:]
	}
	num, err := phonenumbers.Parse(raw, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", rule("invalid_phone", "phone %q is not a valid phone number", raw)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// CreatePatient registers a patient. A phone that is already registered is a conflict whose details
// carry the existing patient's id.
func (s *Service) CreatePatient(ctx context.Context, in PatientInput) (*Patient, error) {
	p := Patient{Name: strings.TrimSpace(in.Name)}
	if p.Name == "" {
		return nil, rule("missing_name", "name is required")
	}
	phone, err := NormalizePhone(in.Phone, s.cfg.PhoneRegion)
	if err != nil {
		return nil, err
	}
	p.Phone = phone
	if e := strings.TrimSpace(in.Email); e != "" {
		if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e {
			return nil, rule("invalid_email", "email %q is not an address", e)
		}
		p.Email = &e
	}
	if in.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, in.BirthDate)
		if err != nil {
			return nil, invalid("invalid_date", "birth_date %q is not a date (YYYY-MM-DD)", in.BirthDate)
		}
		if d.After(s.now()) || d.Year() < 1880 {
			return nil, rule("invalid_birth_date", "birth_date %s is not plausible", in.BirthDate)
		}
		p.BirthDate = &in.BirthDate
	}
	err = s.db.QueryRow(ctx, `INSERT INTO patients (name, phone, email, birth_date) VALUES ($1, $2, $3, $4)
		ON CONFLICT (phone) DO NOTHING RETURNING id`, p.Name, p.Phone, p.Email, p.BirthDate).Scan(&p.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		existing, err := s.FindPatientByPhone(ctx, p.Phone)
		if err != nil {
			return nil, err
		}
		e := conflict(CodeDuplicatePhone, "a patient with phone %s exists", p.Phone)
		e.Details = map[string]any{"patient_id": existing.ID, "patient": existing}
		return nil, e
	}
	if err != nil {
		return nil, fmt.Errorf("insert patient: %w", err)
	}
	return &p, nil
}

const patientSelect = `SELECT id, name, phone, email, to_char(birth_date, 'YYYY-MM-DD') FROM patients`

func scanPatient(row pgx.Row) (*Patient, error) {
	var p Patient
	return &p, row.Scan(&p.ID, &p.Name, &p.Phone, &p.Email, &p.BirthDate)
}

// GetPatient returns one patient.
func (s *Service) GetPatient(ctx context.Context, id ID) (*Patient, error) {
	p, err := scanPatient(s.db.QueryRow(ctx, patientSelect+` WHERE id = $1`, id))
	if err != nil {
		return nil, noRows(err, "patient", id)
	}
	return p, nil
}

// FindPatientByPhone returns the patient with that phone (any format the parser accepts).
func (s *Service) FindPatientByPhone(ctx context.Context, raw string) (*Patient, error) {
	phone, err := NormalizePhone(raw, s.cfg.PhoneRegion)
	if err != nil {
		return nil, err
	}
	p, err := scanPatient(s.db.QueryRow(ctx, patientSelect+` WHERE phone = $1`, phone))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &Error{Kind: KindNotFound, Code: CodeNotFound, Message: "no patient with phone " + phone}
	}
	return p, err
}
