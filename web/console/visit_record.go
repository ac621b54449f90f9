package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/web/access"
)

// Record section modes: what the session page shows of the clinical record.
const (
	recordEdit  = "edit"  // the session is open and the viewer writes its record
	recordAmend = "amend" // the record is locked and the viewer corrects it with a reason
	recordRead  = "read"  // shown, not editable
	recordNote  = "note"  // only a note: no record can be shown or written now
)

// recordSection is the clinical record on the session page.
type recordSection struct {
	Mode     string
	Note     string
	Locked   bool
	CanAmend bool
	// Error sums up why the last save was refused; the field it names carries the same message.
	Error                      string
	Written                    string
	TemplateID, TemplateName   string
	Templates                  []templateOption
	Vitals                     []recordInput
	BMI                        string
	Complaint, Findings, Notes recordInput
	Diagnoses                  []diagnosisRow
	Fields                     []recordInput
	Reason                     recordInput
	Amendments                 []amendmentView
}

// recordInput is one input of the record form, named as the record names it, so an error's field
// finds its input.
type recordInput struct {
	Name, Label, Unit, Hint, Type string
	Value, Error                  string
	Options                       []string
	Required                      bool
}

// Display is the value as the read-only record shows it.
func (in recordInput) Display() string {
	if in.Type == record.TypeYesNo {
		return map[string]string{"yes": "Yes", "no": "No"}[in.Value]
	}
	return in.Value
}

type templateOption struct {
	ID, Name string
	Selected bool
}

type diagnosisRow struct {
	Code, Text recordInput
	Title      string
}

type amendmentView struct {
	At, By, Reason, Changes string
}

// extraDiagnosisRows is how many empty diagnosis rows the form offers after the written ones.
const extraDiagnosisRows = 2

// vitalInputs are the vitals in the form's order, with their units.
var vitalInputs = []recordInput{
	{Name: "vitals.systolic", Label: "Systolic pressure", Unit: "mmHg"},
	{Name: "vitals.diastolic", Label: "Diastolic pressure", Unit: "mmHg"},
	{Name: "vitals.pulse", Label: "Pulse", Unit: "bpm"},
	{Name: "vitals.temperature_c", Label: "Temperature", Unit: "°C"},
	{Name: "vitals.spo2", Label: "SpO₂", Unit: "%"},
	{Name: "vitals.weight_kg", Label: "Weight", Unit: "kg"},
	{Name: "vitals.height_cm", Label: "Height", Unit: "cm"},
}

// records is the clinical record store on the console's database.
func (con *Console) records() (*record.Store, error) {
	db, ok := con.db.(scheduling.DB)
	if !ok {
		return nil, errors.New("console: the database does not support transactions, which clinical records need")
	}
	return record.NewStore(db, con.now), nil
}

// recordCaller is the signed-in user as the record store judges them.
func recordCaller(a account) record.Caller {
	rc := record.Caller{Actor: a.actor()}
	switch a.Role {
	case access.Owner:
		rc.Access = record.WriteAll
	case access.Manager:
		rc.Access = record.ReadAll
	case access.Doctor:
		rc.Access, rc.DoctorID = record.OwnSessions, a.DoctorID
	}
	return rc
}

// loadRecord fills the page's record section from the stored record (reading it is audited), or
// from values a refused save sent back.
func (con *Console) loadRecord(c *gin.Context, page *visitPage, sent ...map[string]string) error {
	a := signedIn(c)
	sec := page.Record
	store, err := con.records()
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	rec, err := store.Get(ctx, recordCaller(a), page.ID)
	var de *scheduling.Error
	if errors.As(err, &de) && de.Kind == scheduling.KindForbidden {
		sec.Mode, sec.Note = recordNote, "The clinical record of this session is for its own doctor, managers and the owner."
		return nil
	}
	if err != nil {
		return err
	}
	writer := a.Role == access.Owner || a.Role == access.Doctor
	sec.Locked = rec.Locked
	switch {
	case page.Status == scheduling.StatusWaiting:
		sec.Mode, sec.Note = recordNote, "The clinical record is written once the session is open."
	case page.Status == scheduling.StatusCancelled || page.Status == scheduling.StatusNoShow:
		sec.Mode, sec.Note = recordNote, "There is no clinical record: the patient was not seen."
	case page.Status == scheduling.StatusOpen && writer:
		sec.Mode = recordEdit
	case rec.Locked && writer && (c.Query("amend") == "1" || len(sent) > 0):
		sec.Mode = recordAmend
	default:
		sec.Mode, sec.CanAmend = recordRead, rec.Locked && writer
	}
	if rec.WrittenBy != nil && rec.WrittenAt != nil {
		sec.Written = "Written by " + string(*rec.WrittenBy) + " on " + rec.WrittenAt.Format("2 Jan 2006 15:04")
	}
	for _, am := range rec.Amendments {
		fields := make([]string, len(am.Changes))
		for i, ch := range am.Changes {
			fields[i] = ch.Field
		}
		sec.Amendments = append(sec.Amendments, amendmentView{At: am.At.Format("2 Jan 2006 15:04"), By: string(am.By),
			Reason: am.Reason, Changes: strings.Join(fields, ", ")})
	}
	values := valuesOf(rec)
	if len(sent) > 0 {
		values = sent[0]
	} else if t := c.Query("template"); t != "" && sec.Mode != recordRead {
		values["template"] = t
	}
	return con.fillRecord(c, store, sec, values)
}

// fillRecord lays the values out as the section's inputs, with the chosen template's fields.
func (con *Console) fillRecord(c *gin.Context, store *record.Store, sec *recordSection, values map[string]string) error {
	ctx := c.Request.Context()
	templates, err := store.ListTemplates(ctx)
	if err != nil {
		return err
	}
	sec.TemplateID = values["template"]
	var chosen *record.Template
	for i, t := range templates {
		id := strconv.FormatInt(int64(t.ID), 10)
		sec.Templates = append(sec.Templates, templateOption{ID: id, Name: t.Name, Selected: id == sec.TemplateID})
		if id == sec.TemplateID {
			chosen = &templates[i]
			sec.TemplateName = t.Name
		}
	}
	at := func(in recordInput) recordInput { in.Value = values[in.Name]; return in }
	for _, v := range vitalInputs {
		sec.Vitals = append(sec.Vitals, at(v))
	}
	if w, ok := record.ParseDecimal(values["vitals.weight_kg"]); ok {
		if h, ok := record.ParseDecimal(values["vitals.height_cm"]); ok {
			sec.BMI = record.BMI(w, h).String()
		}
	}
	sec.Complaint = at(recordInput{Name: "complaint", Label: "Complaint", Type: "textarea"})
	sec.Findings = at(recordInput{Name: "findings", Label: "Findings", Type: "textarea"})
	sec.Notes = at(recordInput{Name: "notes", Label: "Notes", Type: "textarea"})
	sec.Reason = at(recordInput{Name: "amendment.reason", Label: "Reason for the correction", Required: true})
	rows := countDiagnoses(values)
	if sec.Mode == recordEdit || sec.Mode == recordAmend {
		rows = min(rows+extraDiagnosisRows, record.MaxDiagnoses)
	}
	for i := range rows {
		p := "diagnoses[" + strconv.Itoa(i) + "]"
		sec.Diagnoses = append(sec.Diagnoses, diagnosisRow{Code: at(recordInput{Name: p + ".icd10", Label: "ICD-10"}),
			Text: at(recordInput{Name: p + ".text", Label: "Diagnosis"}), Title: values[p+".title"]})
	}
	if chosen != nil {
		for _, f := range chosen.Fields {
			in := recordInput{Name: "fields." + f.Key, Label: f.Label, Unit: f.Unit, Type: f.Type, Options: f.Options,
				Required: f.Required}
			switch {
			case !f.Min.IsZero() && !f.Max.IsZero():
				in.Hint = f.Min.String() + "–" + f.Max.String()
			case !f.Min.IsZero():
				in.Hint = "at least " + f.Min.String()
			case !f.Max.IsZero():
				in.Hint = "at most " + f.Max.String()
			}
			sec.Fields = append(sec.Fields, at(in))
		}
	}
	return nil
}

// countDiagnoses is how many diagnosis rows the values fill, up to the last one filled.
func countDiagnoses(values map[string]string) int {
	n := 0
	for i := 0; i < record.MaxDiagnoses; i++ {
		p := "diagnoses[" + strconv.Itoa(i) + "]"
		if values[p+".icd10"] != "" || values[p+".text"] != "" {
			n = i + 1
		}
	}
	return n
}

// valuesOf is a stored record as form values.
func valuesOf(rec *record.Record) map[string]string {
	v := map[string]string{"complaint": rec.Complaint, "findings": rec.Findings, "notes": rec.Notes}
	if rec.Template != nil {
		v["template"] = strconv.FormatInt(int64(*rec.Template), 10)
	}
	vt := rec.Vitals
	for name, d := range map[string]record.Decimal{"systolic": vt.Systolic, "diastolic": vt.Diastolic, "pulse": vt.Pulse,
		"temperature_c": vt.TemperatureC, "spo2": vt.SpO2, "weight_kg": vt.WeightKg, "height_cm": vt.HeightCm} {
		v["vitals."+name] = d.String()
	}
	for i, d := range rec.Diagnoses {
		p := "diagnoses[" + strconv.Itoa(i) + "]"
		v[p+".icd10"], v[p+".text"], v[p+".title"] = d.ICD10, d.Text, d.Title
	}
	for key, val := range rec.Fields {
		switch x := val.(type) {
		case record.Decimal:
			v["fields."+key] = x.String()
		case bool:
			v["fields."+key] = map[bool]string{true: "yes", false: "no"}[x]
		case string:
			v["fields."+key] = x
		}
	}
	return v
}

// icd10 answers the search-as-you-type of the diagnosis code inputs.
func (con *Console) icd10(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if q == "" || !utf8.ValidString(q) || utf8.RuneCountInString(q) > 200 {
		c.JSON(http.StatusOK, gin.H{"items": []record.Code{}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": record.SearchICD10(q)})
}
