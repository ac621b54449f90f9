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

// maxEmailLength is the longest address SMTP carries (RFC 5321).
const maxEmailLength = 254

// Patient is a person the clinic treats; the phone (E.164) identifies them across channels.
type Patient struct {
	ID        ID        `json:"id"`
	Name      string    `json:"name"`
	Phone     string    `json:"phone"`
	Email     *string   `json:"email"`
	BirthDate *string   `json:"birth_date"`
	CreatedAt time.Time `json:"created_at"`
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
	var p Patient
	var err error
	if p.Name, err = patientName(in.Name); err != nil {
		return nil, err
	}
	if p.Phone, err = NormalizePhone(in.Phone, s.cfg.PhoneRegion); err != nil {
		return nil, err
	}
	if p.Email, err = patientEmail(in.Email); err != nil {
		return nil, err
	}
	if p.BirthDate, err = s.birthDate(in.BirthDate); err != nil {
		return nil, err
	}
	p.CreatedAt = Instant(s.now()).UTC()
	err = s.db.QueryRow(ctx, `INSERT INTO patients (name, phone, email, birth_date, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (phone) DO NOTHING RETURNING id`, p.Name, p.Phone, p.Email, p.BirthDate, p.CreatedAt).Scan(&p.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, s.duplicatePhone(ctx, p.Phone)
	}
	if err != nil {
		return nil, fmt.Errorf("insert patient: %w", err)
	}
	return &p, nil
}

// duplicatePhone is the conflict of registering phone twice; its details name the patient who has it.
func (s *Service) duplicatePhone(ctx context.Context, phone string) error {
	existing, err := s.FindPatientByPhone(ctx, phone)
	if err != nil {
		return err
	}
	e := conflict(CodeDuplicatePhone, "a patient with phone %s exists", phone)
	e.Details = map[string]any{"patient_id": existing.ID, "patient": existing}
	return e
}

// patientName checks a patient's name: required, at most MaxNameLength characters.
func patientName(raw string) (string, error) {
	name, err := cleanText("name", raw, MaxNameLength)
	if err == nil && name == "" {
		err = rule("missing_name", "name is required")
	}
	return name, err
}

// patientEmail checks an optional email address; empty means none.
func patientEmail(raw string) (*string, error) {
	e, err := cleanText("email", raw, maxEmailLength)
	if err != nil || e == "" {
		return nil, err
	}
	if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e {
		return nil, rule("invalid_email", "email %q is not an address", e)
	}
	return &e, nil
}

// birthDate checks an optional birth date (YYYY-MM-DD); empty means none.
func (s *Service) birthDate(raw string) (*string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return nil, invalid("invalid_date", "birth_date %q is not a date (YYYY-MM-DD)", raw)
	}
	if d.After(s.now()) || d.Year() < 1880 {
		return nil, rule("invalid_birth_date", "birth_date %s is not plausible", raw)
	}
	return &raw, nil
}

const patientColumns = `p.id, p.name, p.phone, p.email, to_char(p.birth_date, 'YYYY-MM-DD'), p.created_at`

const patientSelect = `SELECT ` + patientColumns + ` FROM patients p`

// scanPatient reads patientColumns, then any extra destinations.
func scanPatient(row pgx.Row, extra ...any) (*Patient, error) {
	var p Patient
	err := row.Scan(append([]any{&p.ID, &p.Name, &p.Phone, &p.Email, &p.BirthDate, &p.CreatedAt}, extra...)...)
	p.CreatedAt = p.CreatedAt.UTC()
	return &p, err
}

// GetPatient returns one patient.
func (s *Service) GetPatient(ctx context.Context, id ID) (*Patient, error) {
	p, err := scanPatient(s.db.QueryRow(ctx, patientSelect+` WHERE p.id = $1`, id))
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
	p, err := scanPatient(s.db.QueryRow(ctx, patientSelect+` WHERE p.phone = $1`, phone))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &Error{Kind: KindNotFound, Code: CodeNotFound, Message: "no patient with phone " + phone}
	}
	return p, err
}
