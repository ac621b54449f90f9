package record

import (
	"bytes"
	"encoding/json"

	"clinic/scheduling"
)

// Vitals are the measures taken at a visit; every one is optional. Numbers are exact.
type Vitals struct {
	Systolic     Decimal `json:"systolic,omitzero"`      // mmHg
	Diastolic    Decimal `json:"diastolic,omitzero"`     // mmHg
	Pulse        Decimal `json:"pulse,omitzero"`         // beats a minute
	TemperatureC Decimal `json:"temperature_c,omitzero"` // °C
	SpO2         Decimal `json:"spo2,omitzero"`          // %
	WeightKg     Decimal `json:"weight_kg,omitzero"`
	HeightCm     Decimal `json:"height_cm,omitzero"`
}

// VitalsInput is vitals as a request sends them: each a JSON number, or null or absent for none.
type VitalsInput struct {
	Systolic     json.RawMessage `json:"systolic"`
	Diastolic    json.RawMessage `json:"diastolic"`
	Pulse        json.RawMessage `json:"pulse"`
	TemperatureC json.RawMessage `json:"temperature_c"`
	SpO2         json.RawMessage `json:"spo2"`
	WeightKg     json.RawMessage `json:"weight_kg"`
	HeightCm     json.RawMessage `json:"height_cm"`
}

// vital is one measure's plausible range: a value outside it is a typing mistake, not a patient.
type vital struct {
	key, name, unit string
	min, max        string
	scale           int // decimal places allowed; 0 is a whole number
}

var (
	vitalSystolic  = vital{"systolic", "systolic blood pressure", "mmHg", "50", "260", 0}
	vitalDiastolic = vital{"diastolic", "diastolic blood pressure", "mmHg", "30", "160", 0}
	vitalPulse     = vital{"pulse", "pulse", "beats a minute", "20", "250", 0}
	vitalTemp      = vital{"temperature_c", "temperature", "°C", "30.0", "45.0", 2}
	vitalSpO2      = vital{"spo2", "oxygen saturation (SpO₂)", "%", "50", "100", 0}
	vitalWeight    = vital{"weight_kg", "weight", "kg", "0.3", "400", 3}
	vitalHeight    = vital{"height_cm", "height", "cm", "20", "260", 1}
)

// read checks one measure: a number, with no more decimals than it allows, within its range.
func (v vital) read(raw json.RawMessage) (Decimal, error) {
	field := "vitals." + v.key
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return Decimal{}, nil
	}
	d, ok := ParseDecimal(string(raw))
	if !ok {
		if v.scale == 0 {
			return Decimal{}, fieldInvalid(field, "%s must be a whole number", field)
		}
		return Decimal{}, fieldInvalid(field, "%s must be a number with at most %d decimal places", field, v.scale)
	}
	switch {
	case v.scale == 0 && !d.IsInt():
		return Decimal{}, fieldRule("not_whole", field, "%s (%s) must be a whole number of %s; %s was given", v.name, field, v.unit, d)
	case d.Scale() > v.scale:
		return Decimal{}, fieldRule("too_precise", field, "%s (%s) may have at most %d decimal places; %s was given", v.name, field, v.scale, d)
	}
	lo, _ := ParseDecimal(v.min)
	hi, _ := ParseDecimal(v.max)
	if d.Cmp(lo) < 0 || d.Cmp(hi) > 0 {
		return Decimal{}, fieldRule("out_of_range", field, "%s (%s) must be between %s and %s %s; %s was given", v.name, field, v.min, v.max, v.unit, d)
	}
	return d, nil
}

// clean checks every measure and that the diastolic pressure is below the systolic.
func (in VitalsInput) clean() (Vitals, error) {
	var out Vitals
	for _, f := range []struct {
		v   vital
		raw json.RawMessage
		dst *Decimal
	}{
		{vitalSystolic, in.Systolic, &out.Systolic},
		{vitalDiastolic, in.Diastolic, &out.Diastolic},
		{vitalPulse, in.Pulse, &out.Pulse},
		{vitalTemp, in.TemperatureC, &out.TemperatureC},
		{vitalSpO2, in.SpO2, &out.SpO2},
		{vitalWeight, in.WeightKg, &out.WeightKg},
		{vitalHeight, in.HeightCm, &out.HeightCm},
	} {
		d, err := f.v.read(f.raw)
		if err != nil {
			return Vitals{}, err
		}
		*f.dst = d
	}
	if !out.Systolic.IsZero() && !out.Diastolic.IsZero() && out.Diastolic.Cmp(out.Systolic) >= 0 {
		return Vitals{}, fieldRule("out_of_range", "vitals.diastolic",
			"the diastolic blood pressure (vitals.diastolic, %s) must be below the systolic (%s)", out.Diastolic, out.Systolic)
	}
	return out, nil
}

// fieldRule is a rule broken by one field, named in the message and in details.field.
func fieldRule(code, field, format string, args ...any) error {
	return scheduling.Rule(code, format, args...).WithDetails(map[string]any{"field": field})
}

// fieldInvalid is a field that cannot be read at all (400).
func fieldInvalid(field, format string, args ...any) error {
	return scheduling.Invalid("invalid_field", format, args...).WithDetails(map[string]any{"field": field})
}
