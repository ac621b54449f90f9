package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/record"
)

// saveRecord writes the clinical record from the session page's form, or an amendment of a locked
// one. A refused save shows the page again with what was typed and the message at its field; the
// record store saves all or nothing.
func (con *Console) saveRecord(c *gin.Context) {
	id, ok := con.sessionID(c)
	if !ok {
		return
	}
	a := signedIn(c)
	store, err := con.records()
	if err != nil {
		con.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	values := formValues(c)
	in, rows, err := recordInputOf(c, store, values)
	if err == nil {
		_, err = store.Put(ctx, recordCaller(a), id, in)
	}
	var de *scheduling.Error
	switch {
	case err == nil:
		msg := "Clinical record saved."
		if in.Amendment != nil {
			msg = "The correction is saved and listed with its reason."
		}
		con.flash(c, flashSuccess, msg)
		c.Redirect(http.StatusSeeOther, sessionLink(id)+"#record")
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden || de.Kind == scheduling.KindNotFound && de.Details == nil:
		con.fail(c, err)
		return
	}
	page, perr := con.visitPageOf(c, id)
	if perr != nil {
		con.fail(c, perr)
		return
	}
	if page.Record == nil {
		con.fail(c, err)
		return
	}
	if err := con.loadRecord(c, page, values); err != nil {
		con.fail(c, err)
		return
	}
	field, _ := de.Details["field"].(string)
	field = rows.original(field)
	page.Record.Error = friendly(de.Message, field)
	page.Record.markError(field, page.Record.Error)
	con.render(c, kindStatus[de.Kind], "visit", "Session of "+page.Patient, page)
}

// formValues is the posted record form by input name, trimmed.
func formValues(c *gin.Context) map[string]string {
	_ = c.Request.ParseForm()
	v := map[string]string{}
	for name, vals := range c.Request.PostForm {
		if name != csrfField && len(vals) > 0 {
			v[name] = strings.TrimSpace(vals[0])
		}
	}
	return v
}

// diagnosisRows maps the diagnoses sent (blank rows left out) back to the form's rows.
type diagnosisRows []int

// original turns an error's field about the k-th diagnosis sent into the form row's name.
func (r diagnosisRows) original(field string) string {
	rest, ok := strings.CutPrefix(field, "diagnoses[")
	if !ok {
		return field
	}
	num, tail, ok := strings.Cut(rest, "]")
	k, err := strconv.Atoi(num)
	if !ok || err != nil || k < 0 || k >= len(r) {
		return field
	}
	return "diagnoses[" + strconv.Itoa(r[k]) + "]" + tail
}

// recordInputOf reads the form as the record store's input: numbers as typed (a decimal comma is
// read as a point), yes/no as true or false, texts as strings, blank as nothing.
func recordInputOf(c *gin.Context, store *record.Store, v map[string]string) (record.Input, diagnosisRows, error) {
	var in record.Input
	var rows diagnosisRows
	num := func(name string) json.RawMessage {
		if s := v[name]; s != "" {
			return json.RawMessage(strings.ReplaceAll(s, ",", "."))
		}
		return nil
	}
	in.Vitals = record.VitalsInput{Systolic: num("vitals.systolic"), Diastolic: num("vitals.diastolic"), Pulse: num("vitals.pulse"),
		TemperatureC: num("vitals.temperature_c"), SpO2: num("vitals.spo2"), WeightKg: num("vitals.weight_kg"),
		HeightCm: num("vitals.height_cm")}
	in.Complaint, in.Findings, in.Notes = v["complaint"], v["findings"], v["notes"]
	for i := range record.MaxDiagnoses + extraDiagnosisRows {
		p := "diagnoses[" + strconv.Itoa(i) + "]"
		if v[p+".icd10"] != "" || v[p+".text"] != "" {
			in.Diagnoses = append(in.Diagnoses, record.DiagnosisInput{ICD10: v[p+".icd10"], Text: v[p+".text"]})
			rows = append(rows, i)
		}
	}
	if v["amend"] == "1" {
		in.Amendment = &record.AmendmentInput{Reason: v["amendment.reason"]}
	}
	if v["template"] == "" {
		return in, rows, nil
	}
	tid, err := strconv.ParseInt(v["template"], 10, 64)
	if err != nil {
		return in, rows, scheduling.Invalid("invalid_template", "Choose a template from the list.").
			WithDetails(map[string]any{"field": "template"})
	}
	t, err := store.GetTemplate(c.Request.Context(), scheduling.ID(tid))
	if err != nil {
		return in, rows, err
	}
	in.Template = &t.ID
	in.Fields = map[string]json.RawMessage{}
	for _, f := range t.Fields {
		s := v["fields."+f.Key]
		switch {
		case s == "":
		case f.Type == record.TypeNumber:
			in.Fields[f.Key] = num("fields." + f.Key)
		case f.Type == record.TypeYesNo:
			in.Fields[f.Key] = json.RawMessage(strconv.Quote(s))
			if s == "yes" || s == "no" {
				in.Fields[f.Key] = json.RawMessage(strconv.FormatBool(s == "yes"))
			}
		default:
			raw, _ := json.Marshal(s)
			in.Fields[f.Key] = raw
		}
	}
	return in, rows, nil
}

// markError puts the message at the input it is about.
func (sec *recordSection) markError(field, msg string) {
	mark := func(in *recordInput) {
		if in.Name == field {
			in.Error = msg
		}
	}
	for i := range sec.Vitals {
		mark(&sec.Vitals[i])
	}
	for i := range sec.Fields {
		mark(&sec.Fields[i])
	}
	for i := range sec.Diagnoses {
		mark(&sec.Diagnoses[i].Code)
		mark(&sec.Diagnoses[i].Text)
		if "diagnoses["+strconv.Itoa(i)+"]" == field {
			sec.Diagnoses[i].Text.Error = msg
		}
	}
	for _, in := range []*recordInput{&sec.Complaint, &sec.Findings, &sec.Notes, &sec.Reason} {
		mark(in)
	}
}

// friendly rewords a record message for the page: the field's technical name is left out, since the
// message stands next to the field, and so is advice meant for API clients.
func friendly(msg, field string) string {
	if field != "" {
		msg = strings.ReplaceAll(msg, " ("+field+")", "")
		msg = strings.TrimPrefix(msg, field+": ")
		if rest, ok := strings.CutPrefix(msg, field+" ("); ok {
			msg = strings.Replace(rest, ")", "", 1)
		} else if rest, ok := strings.CutPrefix(msg, field+" "); ok {
			msg = "This value " + rest
		}
	}
	msg = strings.ReplaceAll(msg, " (search it with GET /api/v1/icd10?q=)", "")
	if r, size := utf8.DecodeRuneInString(msg); r != utf8.RuneError {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	return msg
}
