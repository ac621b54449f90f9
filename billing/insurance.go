package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// InsurancePolicy is a patient's insurance policy as the API shows it.
type InsurancePolicy struct {
	ID               scheduling.ID   `json:"id"`
	PatientID        scheduling.ID   `json:"patient_id"`
	Insurer          string          `json:"insurer"`
	CoverageBP       int64           `json:"coverage_bp"`
	AnnualDeductible int64           `json:"annual_deductible"`
	AnnualLimit      *int64          `json:"annual_limit"`
	Currency         *string         `json:"currency"`
	ValidFrom        string          `json:"valid_from"`
	ValidTo          string          `json:"valid_to"`
	ExaminationIDs   []scheduling.ID `json:"examination_ids"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

// PolicyInput is what setting a patient's policy takes; it replaces the one the patient has.
type PolicyInput struct {
	Insurer          string          `json:"insurer"`
	CoverageBP       *int64          `json:"coverage_bp"`
	AnnualDeductible *int64          `json:"annual_deductible"`
	AnnualLimit      *int64          `json:"annual_limit"`
	Currency         *string         `json:"currency"`
	ValidFrom        string          `json:"valid_from"`
	ValidTo          string          `json:"valid_to"`
	ExaminationIDs   []scheduling.ID `json:"examination_ids"`
}

func (in *PolicyInput) validate(today scheduling.Date) (from, to scheduling.Date, err error) {
	if in.Insurer, err = cleanName("insurer", in.Insurer); err != nil {
		return from, to, err
	}
	switch {
	case in.CoverageBP == nil:
		return from, to, scheduling.Rule("missing_coverage", "coverage_bp is required (basis points: 8000 = 80%%)")
	case *in.CoverageBP < 0 || *in.CoverageBP > BasisPoints:
		return from, to, scheduling.Rule("invalid_coverage", "coverage_bp must be between 0 and 10000 (0–100%%), got %d", *in.CoverageBP)
	case in.AnnualDeductible == nil:
		return from, to, scheduling.Rule("missing_deductible", "annual_deductible is required (minor units; 0 for none)")
	case *in.AnnualDeductible < 0 || *in.AnnualDeductible > MaxAmount:
		return from, to, scheduling.Rule("negative_amount", "annual_deductible must be between 0 and %d", int64(MaxAmount))
	case in.AnnualLimit != nil && (*in.AnnualLimit < 0 || *in.AnnualLimit > MaxAmount):
		return from, to, scheduling.Rule("negative_amount", "annual_limit must be between 0 and %d", int64(MaxAmount))
	case in.Currency != nil && !scheduling.IsActiveCurrency(*in.Currency):
		return from, to, scheduling.Rule("invalid_currency", "currency %q is not an active ISO 4217 currency code", *in.Currency)
	case in.ValidFrom == "":
		return from, to, scheduling.Rule("missing_valid_from", "valid_from is required (YYYY-MM-DD)")
	case in.ValidTo == "":
		return from, to, scheduling.Rule("missing_valid_to", "valid_to is required (YYYY-MM-DD)")
	}
	if from, err = scheduling.ParseDate(in.ValidFrom); err != nil {
		return from, to, err
	}
	if to, err = scheduling.ParseDate(in.ValidTo); err != nil {
		return from, to, err
	}
	switch {
	case dateKey(from) > dateKey(to):
		return from, to, scheduling.Rule("invalid_validity", "valid_from (%s) is after valid_to (%s)", in.ValidFrom, in.ValidTo)
	case dateKey(to) < dateKey(today):
		return from, to, scheduling.Rule("policy_expired", "valid_to (%s) is in the past: the policy would cover no visit", in.ValidTo)
	}
	return from, to, checkIDList("examination_ids", in.ExaminationIDs, false)
}

// PutInsurance sets a patient's insurance policy, replacing the one they have. A replaced policy
// keeps its id, and with it what this year has used of its deductible and limit.
func (s *Store) PutInsurance(ctx context.Context, actor scheduling.Actor, patientID scheduling.ID, in PolicyInput) (*InsurancePolicy, error) {
	now := s.now()
	from, to, err := in.validate(scheduling.DateOf(now))
	if err != nil {
		return nil, err
	}
	p := &InsurancePolicy{PatientID: patientID, Insurer: in.Insurer, CoverageBP: *in.CoverageBP, AnnualDeductible: *in.AnnualDeductible,
		AnnualLimit: in.AnnualLimit, Currency: in.Currency, ValidFrom: dateString(from), ValidTo: dateString(to),
		ExaminationIDs: dedupe(in.ExaminationIDs), UpdatedAt: now}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := patientExists(ctx, tx, patientID); err != nil {
			return err
		}
		if err := examinationsExist(ctx, tx, p.ExaminationIDs); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO insurance_policies (patient_id, insurer, coverage_bp, annual_deductible, annual_limit, currency,
				valid_from, valid_to, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10)
			ON CONFLICT (patient_id) DO UPDATE SET insurer = $2, coverage_bp = $3, annual_deductible = $4, annual_limit = $5,
				currency = $6, valid_from = $7::date, valid_to = $8::date, updated_at = $9, updated_by = $10
			RETURNING id`, patientID, p.Insurer, p.CoverageBP, p.AnnualDeductible, p.AnnualLimit, p.Currency,
			p.ValidFrom, p.ValidTo, now, string(actor)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("save policy: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM policy_examinations WHERE policy_id = $1`, p.ID); err != nil {
			return fmt.Errorf("clear policy examinations: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO policy_examinations (policy_id, examination_id) SELECT $1, x FROM unnest($2::bigint[]) x`,
			p.ID, p.ExaminationIDs)
		if err != nil {
			return fmt.Errorf("insert policy examinations: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Insurance returns a patient's policy; a patient without one answers not found.
func (s *Store) Insurance(ctx context.Context, patientID scheduling.ID) (*InsurancePolicy, error) {
	if err := patientExists(ctx, s.db, patientID); err != nil {
		return nil, err
	}
	p := &InsurancePolicy{PatientID: patientID}
	var coverage int32
	err := s.db.QueryRow(ctx, `
		SELECT p.id, p.insurer, p.coverage_bp, p.annual_deductible, p.annual_limit, p.currency,
			to_char(p.valid_from, 'YYYY-MM-DD'), to_char(p.valid_to, 'YYYY-MM-DD'),
			array(SELECT examination_id FROM policy_examinations WHERE policy_id = p.id ORDER BY 1), p.updated_at
		FROM insurance_policies p WHERE p.patient_id = $1`, patientID).
		Scan(&p.ID, &p.Insurer, &coverage, &p.AnnualDeductible, &p.AnnualLimit, &p.Currency, &p.ValidFrom, &p.ValidTo,
			&p.ExaminationIDs, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &scheduling.Error{Kind: scheduling.KindNotFound, Code: scheduling.CodeNotFound,
			Message: fmt.Sprintf("patient %d has no insurance policy", patientID)}
	} else if err != nil {
		return nil, fmt.Errorf("load policy: %w", err)
	}
	p.CoverageBP = int64(coverage)
	return p, nil
}
