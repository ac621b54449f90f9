package billing

import (
	"context"
	"fmt"
	"time"

	"clinic/scheduling"
)

// Store loads pricing input from the database and keeps patients' money records: prepaid packages,
// insurance policies and loyalty accounts. It is safe for concurrent use.
type Store struct {
	db  scheduling.DB
	now func() time.Time
}

// NewStore returns a store on db (a pool, or a transaction to join). now is the clock that decides
// "today" and stamps changes; nil means the system clock.
func NewStore(db scheduling.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Visit names what to price: who, where, when, which examinations and which extra consumables.
type Visit struct {
	PatientID scheduling.ID
	BranchID  scheduling.ID
	// ExaminationIDs in line order; repeats are separate lines.
	ExaminationIDs []scheduling.ID
	// Consumables used beyond what the examinations use by themselves.
	Consumables []ConsumableUse
	// Date is the visit's day at the branch.
	Date             scheduling.Date
	ManualDiscountBP int64
	RedeemPoints     int64
}

// ConsumableUse is an inventory item used during a visit.
type ConsumableUse struct {
	ItemID   scheduling.ID `json:"item_id"`
	Quantity *int64        `json:"quantity"`
	// ExaminationID is the visit's examination it was used in, if any: insurance covers it with
	// that examination.
	ExaminationID scheduling.ID `json:"examination_id"`
}

func patientExists(ctx context.Context, db scheduling.DB, id scheduling.ID) error {
	var found bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM patients WHERE id = $1)`, id).Scan(&found); err != nil {
		return fmt.Errorf("check patient: %w", err)
	}
	if !found {
		return scheduling.NotFound("patient", id)
	}
	return nil
}

func dateOfPtr(t *time.Time) *scheduling.Date {
	if t == nil {
		return nil
	}
	d := scheduling.DateOf(*t)
	return &d
}
