package scheduling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// PatchField is one field of a partial update: Set when the request names it, Value nil when it
// names it as null.
type PatchField struct {
	Set   bool
	Value *string
}

// text is the field's value, "" for null.
func (f PatchField) text() string {
	if f.Value == nil {
		return ""
	}
	return *f.Value
}

// PatientPatch changes some of a patient's details; fields the request leaves out keep their value.
type PatientPatch struct {
	Name      PatchField
	Phone     PatchField
	Email     PatchField
	BirthDate PatchField
}

// UnmarshalJSON reads {"name", "phone", "email", "birth_date"}, each a string or null; other keys are
// ignored, as on create.
func (p *PatientPatch) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return invalid("invalid_json", "the body must be a JSON object")
	}
	for _, f := range []struct {
		name string
		dst  *PatchField
	}{{"name", &p.Name}, {"phone", &p.Phone}, {"email", &p.Email}, {"birth_date", &p.BirthDate}} {
		raw, ok := m[f.name]
		if !ok {
			continue
		}
		f.dst.Set = true
		if string(raw) == "null" {
			continue
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return invalid("invalid_field", "field %q must be text or null", f.name)
		}
		f.dst.Value = &v
	}
	return nil
}

// UpdatePatient changes the fields the patch names. Name and phone cannot be cleared; null or ""
// clears email and birth date. A phone another patient has is a conflict whose details carry that
// patient's id, as on create. The change is one statement: all of it is saved or none.
func (s *Service) UpdatePatient(ctx context.Context, id ID, patch PatientPatch) (*Patient, error) {
	var sets []string
	args := []any{id}
	set := func(column string, v any) {
		args = append(args, v)
		sets = append(sets, column+" = $"+strconv.Itoa(len(args)))
	}
	if patch.Name.Set {
		name, err := patientName(patch.Name.text())
		if err != nil {
			return nil, err
		}
		set("name", name)
	}
	var phone string
	if patch.Phone.Set {
		var err error
		if phone, err = NormalizePhone(patch.Phone.text(), s.cfg.PhoneRegion); err != nil {
			return nil, err
		}
		set("phone", phone)
	}
	if patch.Email.Set {
		email, err := patientEmail(patch.Email.text())
		if err != nil {
			return nil, err
		}
		set("email", email)
	}
	if patch.BirthDate.Set {
		date, err := s.birthDate(patch.BirthDate.text())
		if err != nil {
			return nil, err
		}
		set("birth_date", date)
	}
	if len(sets) == 0 {
		return nil, rule("nothing_to_change", "give at least one of name, phone, email, birth_date")
	}
	p, err := scanPatient(s.db.QueryRow(ctx, `UPDATE patients p SET `+strings.Join(sets, ", ")+
		` WHERE p.id = $1 RETURNING `+patientColumns, args...))
	if code, constraint := pgCode(err); code == sqlstateUnique && constraint == "patients_phone_key" {
		return nil, s.duplicatePhone(ctx, phone)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("patient", id)
	}
	if err != nil {
		return nil, fmt.Errorf("update patient: %w", err)
	}
	return p, nil
}
