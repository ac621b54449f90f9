// Package record keeps the clinical record of a session: vitals, complaint, findings, diagnoses with
// ICD-10 codes from the list shipped with the product, notes, and the structured fields of a specialty
// template. Only the session's doctor or the owner writes it; once the session is completed it is
// locked, and corrections are amendments that keep the earlier version. Every view of a record is
// kept in an audit trail (DESIGN 7: health data is private).
package record

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"clinic/scheduling"
)

// Limits of a record's content.
const (
	MaxDiagnoses       = 20
	MaxDiagnosisText   = scheduling.MaxReasonLength
	MaxAmendmentReason = scheduling.MaxReasonLength
)

// Error codes callers may branch on.
const (
	// CodeRecordLocked refuses a plain write to the record of a completed session (409).
	CodeRecordLocked = "record_locked"
	// CodeNotLocked refuses an amendment to a record that is not locked yet (422).
	CodeNotLocked = "record_not_locked"
	// CodeRecordKept refuses deleting a session that has a clinical record (409).
	CodeRecordKept = "clinical_record"
)

// Content is what a record says: the part a PUT replaces and an amendment keeps a copy of.
type Content struct {
	// Template is the template whose fields the record carries; nil for none.
	Template  *scheduling.ID `json:"template"`
	Vitals    Vitals         `json:"vitals"`
	Complaint string         `json:"complaint"`
	Findings  string         `json:"findings"`
	Diagnoses []Diagnosis    `json:"diagnoses"`
	Notes     string         `json:"notes"`
	// Fields are the template's values: Decimal for numbers, string for text and choices, bool for
	// yes/no.
	Fields map[string]any `json:"fields"`
}

// Diagnosis is one diagnosis: an ICD-10 code from the list (with its title), free text, or both.
type Diagnosis struct {
	ICD10 string `json:"icd10,omitempty"`
	Title string `json:"title,omitempty"`
	Text  string `json:"text"`
}

// Record is a session's clinical record as it is answered.
type Record struct {
	SessionID scheduling.ID `json:"session_id"`
	PatientID scheduling.ID `json:"patient_id"`
	DoctorID  scheduling.ID `json:"doctor_id"`
	Content
	// TemplateName names Template, for display.
	TemplateName *string `json:"template_name"`
	// BMI is weight / height², one decimal; absent without both measures.
	BMI Decimal `json:"bmi"`
	// WrittenBy and WrittenAt say who last wrote the record and when; nil before anyone has.
	WrittenBy *scheduling.Actor `json:"written_by"`
	WrittenAt *time.Time        `json:"written_at"`
	// Locked is true once the session is completed: changes are then amendments only.
	Locked     bool        `json:"locked"`
	Amendments []Amendment `json:"amendments"`
}

// Amendment is a correction of a locked record: who made it, when, why, what changed, and the
// record as it was before.
type Amendment struct {
	At       time.Time        `json:"at"`
	By       scheduling.Actor `json:"by"`
	Reason   string           `json:"reason"`
	Changes  []Change         `json:"changes"`
	Previous Content          `json:"previous"`
}

// Change is one field an amendment changed, with its value before and after (null for none).
type Change struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// View is one time someone opened a record (DESIGN 7: who saw which patient's record, when).
type View struct {
	SessionID scheduling.ID    `json:"session_id"`
	PatientID scheduling.ID    `json:"patient_id"`
	By        scheduling.Actor `json:"by"`
	At        time.Time        `json:"at"`
}

// Input is a record as a PUT sends it. Every part is optional; what is absent is empty afterwards.
type Input struct {
	Template  *scheduling.ID             `json:"template"`
	Vitals    VitalsInput                `json:"vitals"`
	Complaint string                     `json:"complaint"`
	Findings  string                     `json:"findings"`
	Diagnoses []DiagnosisInput           `json:"diagnoses"`
	Notes     string                     `json:"notes"`
	Fields    map[string]json.RawMessage `json:"fields"`
	// Amendment, on a locked record, makes the write a correction with this reason.
	Amendment *AmendmentInput `json:"amendment"`
}

// DiagnosisInput is one diagnosis as a PUT sends it.
type DiagnosisInput struct {
	ICD10 string `json:"icd10"`
	Text  string `json:"text"`
}

// AmendmentInput says why a locked record is corrected.
type AmendmentInput struct {
	Reason string `json:"reason"`
}

// clean checks everything a record says that needs no database: vitals, texts and diagnoses. The
// template's fields are checked against the template by the caller.
func (in *Input) clean() (Content, error) {
	var c Content
	var err error
	if c.Vitals, err = in.Vitals.clean(); err != nil {
		return c, err
	}
	for _, t := range []struct {
		name string
		src  string
		dst  *string
	}{{"complaint", in.Complaint, &c.Complaint}, {"findings", in.Findings, &c.Findings}, {"notes", in.Notes, &c.Notes}} {
		if *t.dst, err = cleanText(t.name, t.src, scheduling.MaxNoteLength); err != nil {
			return c, err
		}
	}
	if len(in.Diagnoses) > MaxDiagnoses {
		return c, fieldRule("too_many_diagnoses", "diagnoses", "a record may have at most %d diagnoses; %d were given", MaxDiagnoses, len(in.Diagnoses))
	}
	c.Diagnoses = make([]Diagnosis, 0, len(in.Diagnoses))
	for i, d := range in.Diagnoses {
		at := fmt.Sprintf("diagnoses[%d]", i)
		var out Diagnosis
		if out.Text, err = cleanText(at+".text", d.Text, MaxDiagnosisText); err != nil {
			return c, err
		}
		if code := strings.TrimSpace(d.ICD10); code != "" {
			found, ok := LookupICD10(code)
			if !ok {
				if utf8.RuneCountInString(code) > 10 {
					code = string([]rune(code)[:10]) + "…"
				}
				return c, fieldRule("unknown_icd10", at+".icd10", "%s.icd10: %q is not on the clinic's ICD-10 list (search it with GET /api/v1/icd10?q=)", at, code)
			}
			out.ICD10, out.Title = found.Code, found.Title
		}
		if out.ICD10 == "" && out.Text == "" {
			return c, fieldRule("empty_diagnosis", at, "%s needs an ICD-10 code, a text or both", at)
		}
		c.Diagnoses = append(c.Diagnoses, out)
	}
	c.Template = in.Template
	return c, nil
}
