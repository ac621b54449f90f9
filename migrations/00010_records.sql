-- +goose Up
-- The clinical record of a session (DESIGN 3.2, 7): vitals, complaint, findings, diagnoses, notes and
-- a specialty template's structured fields; amendments after completion; an audit of every view.

-- A template never changes once made, so records written with it stay valid. Built-in templates come
-- with the product (no author, no creation time); the clinic's own carry both, from the server's clock.
CREATE TABLE record_templates (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    specialty  text NOT NULL CHECK (specialty <> ''),
    fields     jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'array' AND jsonb_array_length(fields) > 0),
    built_in   boolean NOT NULL DEFAULT false,
    created_by text,
    created_at timestamptz,
    CHECK (built_in = (created_at IS NULL) AND built_in = (created_by IS NULL))
);
CREATE UNIQUE INDEX record_templates_name ON record_templates (lower(name));

-- Vitals are exact numbers within plausible ranges; whole numbers where the measure is one.
CREATE TABLE session_records (
    session_id    bigint PRIMARY KEY REFERENCES sessions,
    template_id   bigint REFERENCES record_templates,
    systolic      integer CHECK (systolic BETWEEN 50 AND 260),
    diastolic     integer CHECK (diastolic BETWEEN 30 AND 160),
    pulse         integer CHECK (pulse BETWEEN 20 AND 250),
    temperature_c numeric CHECK (temperature_c BETWEEN 30 AND 45 AND scale(temperature_c) <= 2),
    spo2          integer CHECK (spo2 BETWEEN 50 AND 100),
    weight_kg     numeric CHECK (weight_kg BETWEEN 0.3 AND 400 AND scale(weight_kg) <= 3),
    height_cm     numeric CHECK (height_cm BETWEEN 20 AND 260 AND scale(height_cm) <= 1),
    complaint     text NOT NULL,
    findings      text NOT NULL,
    diagnoses     jsonb NOT NULL CHECK (jsonb_typeof(diagnoses) = 'array'),
    notes         text NOT NULL,
    fields        jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'object'),
    written_by    text NOT NULL,
    written_at    timestamptz NOT NULL,
    CHECK (diastolic < systolic)
);

-- A correction of a locked record keeps the version it replaced and what it changed.
CREATE TABLE record_amendments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES session_records,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    reason     text NOT NULL CHECK (reason <> ''),
    changes    jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'array'),
    previous   jsonb NOT NULL CHECK (jsonb_typeof(previous) = 'object')
);
CREATE INDEX record_amendments_session ON record_amendments (session_id, id);

-- Who opened which patient's record, and when. Kept as an audit trail: no foreign key to sessions, so
-- the trail outlives anything it mentions.
CREATE TABLE record_views (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    actor      text NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX record_views_session ON record_views (session_id, at DESC, id DESC);
CREATE INDEX record_views_patient ON record_views (patient_id, at DESC);

INSERT INTO record_templates (name, specialty, built_in, fields) VALUES
('General practice', 'General practice', true, '[
  {"key": "respiratory_rate", "label": "Respiratory rate", "type": "number", "unit": "breaths/min", "min": 5, "max": 60, "required": false},
  {"key": "waist_cm", "label": "Waist circumference", "type": "number", "unit": "cm", "min": 30, "max": 250, "required": false},
  {"key": "pain_score", "label": "Pain score", "type": "number", "unit": "/10", "min": 0, "max": 10, "required": false},
  {"key": "smoking", "label": "Smoking", "type": "choice", "options": ["never", "former", "current"], "required": false},
  {"key": "alcohol", "label": "Alcohol", "type": "choice", "options": ["none", "occasional", "regular"], "required": false},
  {"key": "allergies", "label": "Known allergies", "type": "text", "required": false},
  {"key": "follow_up", "label": "Follow-up visit needed", "type": "yes_no", "required": false}
]'),
('Dermatology', 'Dermatology', true, '[
  {"key": "lesion_site", "label": "Site of the lesion", "type": "text", "required": false},
  {"key": "lesion_type", "label": "Type of lesion", "type": "choice", "options": ["macule", "papule", "plaque", "nodule", "vesicle", "pustule", "ulcer", "other"], "required": false},
  {"key": "lesion_size_mm", "label": "Largest diameter", "type": "number", "unit": "mm", "min": 0.1, "max": 500, "required": false},
  {"key": "fitzpatrick", "label": "Fitzpatrick skin type", "type": "choice", "options": ["I", "II", "III", "IV", "V", "VI"], "required": false},
  {"key": "itching", "label": "Itching", "type": "yes_no", "required": false},
  {"key": "dermoscopy", "label": "Dermoscopy", "type": "text", "required": false},
  {"key": "biopsy_taken", "label": "Biopsy taken", "type": "yes_no", "required": false}
]'),
('Ophthalmology', 'Ophthalmology', true, '[
  {"key": "acuity_right", "label": "Visual acuity, right eye", "type": "text", "required": false},
  {"key": "acuity_left", "label": "Visual acuity, left eye", "type": "text", "required": false},
  {"key": "iop_right", "label": "Intraocular pressure, right eye", "type": "number", "unit": "mmHg", "min": 0, "max": 80, "required": false},
  {"key": "iop_left", "label": "Intraocular pressure, left eye", "type": "number", "unit": "mmHg", "min": 0, "max": 80, "required": false},
  {"key": "sphere_right", "label": "Refraction, sphere, right eye", "type": "number", "unit": "D", "min": -30, "max": 30, "required": false},
  {"key": "sphere_left", "label": "Refraction, sphere, left eye", "type": "number", "unit": "D", "min": -30, "max": 30, "required": false},
  {"key": "fundus", "label": "Fundus", "type": "text", "required": false},
  {"key": "wears_glasses", "label": "Wears glasses or contact lenses", "type": "yes_no", "required": false}
]'),
('Dentistry', 'Dentistry', true, '[
  {"key": "teeth", "label": "Teeth treated (FDI numbers)", "type": "text", "required": false},
  {"key": "procedure", "label": "Procedure", "type": "choice", "options": ["examination", "cleaning", "filling", "extraction", "root canal", "crown", "other"], "required": false},
  {"key": "anaesthesia", "label": "Local anaesthesia given", "type": "yes_no", "required": false},
  {"key": "plaque_index", "label": "Plaque index", "type": "number", "min": 0, "max": 3, "required": false},
  {"key": "bleeding_on_probing", "label": "Bleeding on probing", "type": "yes_no", "required": false},
  {"key": "next_visit_weeks", "label": "Next visit in", "type": "number", "unit": "weeks", "min": 0, "max": 52, "required": false}
]');

-- +goose Down
DROP TABLE record_views;
DROP TABLE record_amendments;
DROP TABLE session_records;
DROP TABLE record_templates;
