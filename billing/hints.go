package billing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// maxHints bounds the entries remembered of each kind; past it that kind starts again empty.
const maxHints = 4096

// hints remembers how bookings of patients without money records of their own were priced: by
// database, branch and examinations, the input Price was given and the catalog version it was read
// at. Such a patient's invoice follows from the catalog alone (prices, consumables, tax, the tier
// rules), and every change to those moves the catalog version (migrations 00009, 00020). So a
// booking for one prices its draft from memory and writes it with a statement that checks, in the
// database, that the version is still the same and the patient still has no records: the draft
// costs one round trip instead of two and equals what pricing from fresh reads gives. A hint is
// never trusted beyond that check; a stale one costs the round trip it was meant to save. It is
// safe for concurrent use; the nil *hints remembers nothing.
type hints struct {
	mu sync.Mutex
	// inputs are by database and visit (see hintKey).
	inputs map[string]hint
	// marked are patients found with money records, by database: they are priced from fresh reads.
	marked map[string]struct{}
	// pools are the database names of the pools bookings were prepared on (see dbKeyOf).
	pools sync.Map
}

type hint struct {
	version int64
	input   Input
}

func newHints() *hints {
	return &hints{inputs: map[string]hint{}, marked: map[string]struct{}{}}
}

// dbKey names the database a transaction works in: hints of one never answer for another.
func dbKey(c *pgx.ConnConfig) string {
	return c.Host + ":" + strconv.Itoa(int(c.Port)) + "/" + c.Database
}

// hintKey names a visit's prices in a database.
func hintKey(db string, v Visit) string {
	b := append([]byte(db), '|')
	b = strconv.AppendInt(b, int64(v.BranchID), 10)
	for _, id := range v.ExaminationIDs {
		b = strconv.AppendInt(append(b, ':'), int64(id), 10)
	}
	return string(b)
}

func patientKey(db string, id scheduling.ID) string { return db + "|" + id.String() }

// learn remembers the input read for a visit, when its patient has no money records.
func (h *hints) learn(tx pgx.Tx, l *inputLoad, input Input) {
	if h == nil || len(l.v.Consumables) > 0 {
		return
	}
	db := dbKey(tx.Conn().Config())
	h.mu.Lock()
	defer h.mu.Unlock()
	if l.patientMarked {
		h.mark(db, l.v.PatientID)
		return
	}
	if len(h.inputs) >= maxHints {
		clear(h.inputs)
	}
	h.inputs[hintKey(db, l.v)] = hint{version: l.catalogVersion, input: input}
}

// mark remembers a patient with money records; h.mu is held.
func (h *hints) mark(db string, patient scheduling.ID) {
	if len(h.marked) >= maxHints {
		clear(h.marked)
	}
	h.marked[patientKey(db, patient)] = struct{}{}
}

// lookup returns the hint for a visit, when there is one and its patient is not known to have records.
// A visit with consumables of its own has none: hints are learnt only from visits without.
func (h *hints) lookup(db string, v Visit) (hint, bool) {
	if len(v.Consumables) > 0 {
		return hint{}, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.marked[patientKey(db, v.PatientID)]; ok {
		return hint{}, false
	}
	hi, ok := h.inputs[hintKey(db, v)]
	return hi, ok
}

// draft writes a just-booked session's draft priced from a hint, when there is one and the database
// finds it current. It returns nil, nil when the caller must read the input and write the draft itself.
func (h *hints) draft(ctx context.Context, tx pgx.Tx, now time.Time, v sessionVisit) (*priced, error) {
	if h == nil {
		return nil, nil
	}
	db := dbKey(tx.Conn().Config())
	p, args, version, err := h.price(db, now, v)
	if p == nil || err != nil {
		return nil, err
	}
	var id *scheduling.ID
	var marked bool
	if err := tx.QueryRow(ctx, guardedDraftSQL, append(args, version)...).Scan(&id, &marked); err != nil {
		return nil, fmt.Errorf("save draft invoice: %w", err)
	}
	if id == nil {
		if marked {
			h.markPatient(db, v.PatientID)
		}
		return nil, nil
	}
	p.id = *id
	return p, nil
}

// price prices a visit from its hint, when there is one, and returns the draft with guardedDraftSQL's
// parameters $1–$20 and the catalog version ($21) the hint holds; a nil draft when there is no hint.
func (h *hints) price(db string, now time.Time, v sessionVisit) (*priced, []any, int64, error) {
	hi, ok := h.lookup(db, v.Visit)
	if !ok {
		return nil, nil, 0, nil
	}
	input := hi.input
	input.Items = slices.Clone(input.Items)
	input.Date, input.ManualDiscountBP, input.RedeemPoints = v.Date, v.ManualDiscountBP, v.RedeemPoints
	inv, err := Price(input)
	if err != nil {
		return nil, nil, 0, nil // the caller prices from fresh reads, and says what is wrong with them
	}
	p := &priced{inv: inv, input: input}
	args, err := draftArgs(v, p, now)
	if err != nil {
		return nil, nil, 0, err
	}
	return p, args, hi.version, nil
}

// markPatient remembers a patient found with money records.
func (h *hints) markPatient(db string, patient scheduling.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mark(db, patient)
}

// guardedDraftSQL writes a new draft as insertDraftSQL does ($1–$20), but only while the catalog is
// at version $21 and the patient ($3) has no money records. It answers the new draft's id (NULL when
// it wrote nothing) and whether the patient has records.
var guardedDraftSQL = guardedDraft(draftValues, `inv.id, g.marked`)

// guardedDraft is a statement that writes a new draft from values (draftValues' parameters $1–$20)
// only while the catalog is at version $21 and the patient ($3) has no money records, and answers
// answer, read from g (the guard: current, marked) and inv (the draft's id, when it was written).
func guardedDraft(values, answer string) string {
	return `
	WITH g AS (
		SELECT (SELECT version FROM catalog_version) = $21 AS current,
			EXISTS (SELECT 1 FROM billing_patients WHERE patient_id = $3) AS marked
	), inv AS (
		INSERT INTO invoices (` + invoiceColumnNames + `)
		SELECT ` + values + ` FROM g WHERE g.current AND NOT g.marked
		RETURNING id
	), added AS (
		INSERT INTO invoice_lines (` + lineColumnNames + `)
		SELECT inv.id, ` + lineColumns + `
		FROM inv, jsonb_array_elements($20::jsonb) WITH ORDINALITY AS l(v, ord)
	)
	SELECT ` + answer + ` FROM g LEFT JOIN inv ON true`
}
