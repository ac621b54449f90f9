package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Visibility says whether a standard field of the public booking form shows, and whether the patient
// must fill it in.
type Visibility string

// A standard field's visibilities.
const (
	Hidden   Visibility = "hidden"
	Optional Visibility = "optional"
	Required Visibility = "required"
)

// Shown reports whether the field is on the form.
func (v Visibility) Shown() bool { return v == Optional || v == Required }

// FieldKind is the kind of a clinic's custom field.
type FieldKind string

// The kinds of custom field.
const (
	FieldText   FieldKind = "text"
	FieldChoice FieldKind = "choice"
	FieldDate   FieldKind = "date"
	FieldYesNo  FieldKind = "yes_no"
)

// FieldKinds lists the kinds in the order the console offers them.
var FieldKinds = []FieldKind{FieldText, FieldChoice, FieldDate, FieldYesNo}

// Label is a text written in each language of the public pages.
type Label struct {
	EN string `json:"en"`
	AR string `json:"ar"`
}

// In is the label in lang, English when lang is not Arabic.
func (l Label) In(lang string) string {
	if lang == "ar" && l.AR != "" {
		return l.AR
	}
	return l.EN
}

// Option is one answer of a choice field; Value is what a submission carries.
type Option struct {
	Value string `json:"value"`
	Label
}

// CustomField is a field the clinic added to the form, such as "Referral from". Key names it in
// submissions (Requested.Fields).
type CustomField struct {
	Key      string    `json:"key"`
	Kind     FieldKind `json:"kind"`
	Required bool      `json:"required"`
	Label    Label     `json:"label"`
	Options  []Option  `json:"options,omitempty"`
}

// Option returns the option with value v.
func (f CustomField) Option(v string) (Option, bool) {
	for _, o := range f.Options {
		if o.Value == v {
			return o, true
		}
	}
	return Option{}, false
}

// FormSettings are the public booking form's settings (DESIGN 3.5): how each standard field shows
// and the clinic's custom fields in form order. The name and the phone always show and are required.
type FormSettings struct {
	Examination   Visibility    `json:"examination"`
	Branch        Visibility    `json:"branch"`
	Doctor        Visibility    `json:"doctor"`
	PreferredTime Visibility    `json:"preferred_time"`
	Message       Visibility    `json:"message"`
	Email         Visibility    `json:"email"`
	Fields        []CustomField `json:"fields"`
	UpdatedAt     *time.Time    `json:"updated_at,omitempty"`
	UpdatedBy     string        `json:"updated_by,omitempty"`
}

// DefaultFormSettings is the form of a new clinic: everything optional but the email, which is hidden.
func DefaultFormSettings() FormSettings {
	return FormSettings{Examination: Optional, Branch: Optional, Doctor: Optional, PreferredTime: Optional,
		Message: Optional, Email: Hidden, Fields: []CustomField{}}
}

// Standard returns the standard fields' visibilities by name, in form order.
func (f *FormSettings) Standard() []StandardField {
	return []StandardField{
		{"examination", &f.Examination}, {"branch", &f.Branch}, {"doctor", &f.Doctor},
		{"preferred_time", &f.PreferredTime}, {"message", &f.Message}, {"email", &f.Email},
	}
}

// StandardField is one configurable standard field and where its visibility is kept.
type StandardField struct {
	Name       string
	Visibility *Visibility
}

// Field returns the custom field with key.
func (f *FormSettings) Field(key string) (CustomField, bool) {
	for _, c := range f.Fields {
		if c.Key == key {
			return c, true
		}
	}
	return CustomField{}, false
}

// FormSettings reads the public booking form's settings.
func (s *Store) FormSettings(ctx context.Context) (*FormSettings, error) {
	f := DefaultFormSettings()
	err := s.pool.QueryRow(ctx, `SELECT examination, branch, doctor, preferred_time, message, email, updated_at,
		coalesce(updated_by, '') FROM booking_form`).Scan(&f.Examination, &f.Branch, &f.Doctor, &f.PreferredTime,
		&f.Message, &f.Email, &f.UpdatedAt, &f.UpdatedBy)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("read the booking form's settings: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT key, kind, required, label_en, label_ar, options
		FROM booking_form_fields ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("read the booking form's fields: %w", err)
	}
	f.Fields, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (CustomField, error) {
		var c CustomField
		var opts []byte
		if err := r.Scan(&c.Key, &c.Kind, &c.Required, &c.Label.EN, &c.Label.AR, &opts); err != nil {
			return c, err
		}
		return c, json.Unmarshal(opts, &c.Options)
	})
	if err != nil {
		return nil, fmt.Errorf("read the booking form's fields: %w", err)
	}
	return &f, nil
}

// SetFormSettings checks and saves the whole form's settings in one transaction: a refused setting
// saves nothing. by names the staff member, for the record.
func (s *Store) SetFormSettings(ctx context.Context, in FormSettings, by string) (*FormSettings, error) {
	f, err := checkFormSettings(in)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO booking_form (id, examination, branch, doctor, preferred_time, message,
			email, updated_at, updated_by) VALUES (true, $1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET examination = $1, branch = $2, doctor = $3, preferred_time = $4,
			message = $5, email = $6, updated_at = $7, updated_by = $8`,
			f.Examination, f.Branch, f.Doctor, f.PreferredTime, f.Message, f.Email, s.now(), by); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM booking_form_fields`); err != nil {
			return err
		}
		for i, c := range f.Fields {
			opts, err := json.Marshal(c.Options)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO booking_form_fields (key, position, kind, required, label_en,
				label_ar, options) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				c.Key, i, c.Kind, c.Required, c.Label.EN, c.Label.AR, opts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save the booking form's settings: %w", err)
	}
	return s.FormSettings(ctx)
}
