// Package queue is the waiting-room queue of a branch's day (DESIGN 3.3): the waiting and open
// sessions, sorted for the desk's board, each with its place in its doctor's line and an ETA; the
// order staff drag, kept; and one session's place for the patient's public view.
//
// A doctor sees patients in the serving order: the order staff kept for that doctor's queue, or else
// the one kept for the whole branch; without either, by arrival. Sessions a kept order does not name
// (booked or checked in after it was kept) follow it, by arrival. "Ahead" and the ETA always come
// from the serving order, so the board, the public view and the bots agree whatever the board's sort.
package queue

import (
	"time"

	"clinic/scheduling"
	"clinic/scheduling/eta"
)

// Sort modes of a queue list.
const (
	// SortArrival lists checked-in patients by check-in time, then those not yet arrived by start.
	SortArrival = "arrival"
	// SortTime lists by scheduled start.
	SortTime = "time"
	// SortNewest lists the most recently booked first.
	SortNewest = "newest"
	// SortManual lists in the serving order, the one staff kept by dragging.
	SortManual = "manual"
)

// Sorts are the sort modes, the default first.
var Sorts = []string{SortArrival, SortTime, SortNewest, SortManual}

// Actions a queue item may offer, named as the API's session moves.
const (
	ActionCheckIn  = "check_in"
	ActionOpen     = "open"
	ActionComplete = "complete"
	ActionCancel   = "cancel"
	ActionNoShow   = "no_show"
)

// NoticeOrdered is the action of the notice SetOrder sends on scheduling.NotifyChannel when staff
// keep an order: no session changed, but who is ahead of whom did.
const NoticeOrdered = "queue_ordered"

// Bounds of the input.
const (
	// MaxDaysAway is how far from today a queue may be asked for, either way.
	MaxDaysAway = 366
	// MaxOrder is the most session ids an order may list (a branch day holds far fewer).
	MaxOrder = 1000
)

// Query selects a queue: a branch's local day, optionally one doctor's line, in a sort mode.
type Query struct {
	BranchID scheduling.ID
	// Day is the branch's local date; the zero Date is today at the branch.
	Day scheduling.Date
	// DoctorID, when set, narrows the queue to one doctor.
	DoctorID scheduling.ID
	// Sort is one of Sorts; empty is SortArrival.
	Sort string
}

// Board is a queue as listed.
type Board struct {
	BranchID scheduling.ID `json:"branch_id"`
	Timezone string        `json:"timezone"`
	Day      string        `json:"date"`
	DoctorID scheduling.ID `json:"doctor_id,omitempty"`
	Sort     string        `json:"sort"`
	// Ordered reports whether staff kept an order that applies to this queue.
	Ordered bool   `json:"ordered"`
	Items   []Item `json:"items"`
}

// Item is one session in a queue. Open sessions (with the doctor) come first in every sort, and have
// no ETA and nobody ahead.
type Item struct {
	SessionID scheduling.ID `json:"session_id"`
	// Position is the place in this list, from 1.
	Position    int           `json:"position"`
	Status      string        `json:"status"`
	CheckedIn   bool          `json:"checked_in"`
	CheckedInAt *time.Time    `json:"checked_in_at"`
	OpenedAt    *time.Time    `json:"opened_at"`
	Start       time.Time     `json:"start"`
	End         time.Time     `json:"end"`
	BookedAt    time.Time     `json:"booked_at"`
	PatientID   scheduling.ID `json:"patient_id"`
	PatientName string        `json:"patient_name"`
	// PatientPhone is E.164.
	PatientPhone string        `json:"patient_phone"`
	DoctorID     scheduling.ID `json:"doctor_id"`
	DoctorName   string        `json:"doctor_name"`
	Examinations []string      `json:"examinations"`
	// WaitedMinutes is the time since check-in (until opened, for an open session); nil when the
	// patient has not arrived.
	WaitedMinutes *int `json:"waited_minutes"`
	// Ahead is how many waiting sessions come before this one in its doctor's serving order.
	Ahead int `json:"ahead"`
	// ETA is when the doctor is expected to begin this session; nil when it is open.
	ETA *eta.Range `json:"eta"`
	// Actions are the moves the session's state allows now.
	Actions []string `json:"actions"`
}

// Place is one session's place, for the patient's public view and the bots. Any status: a session no
// longer in the queue (completed, cancelled, no-show) has its final status, no position and no ETA.
type Place struct {
	SessionID scheduling.ID `json:"session_id"`
	Status    string        `json:"status"`
	CheckedIn bool          `json:"checked_in"`
	// Position is the place in the doctor's line counting from 1 (1 is next, Ahead+1); 0 when the
	// session is not waiting.
	Position int `json:"position"`
	Ahead    int `json:"ahead"`
	// WithDoctor reports an open session.
	WithDoctor   bool          `json:"with_doctor"`
	ETA          *eta.Range    `json:"eta"`
	Start        time.Time     `json:"start"`
	End          time.Time     `json:"end"`
	PatientID    scheduling.ID `json:"patient_id"`
	PatientName  string        `json:"patient_name"`
	PatientPhone string        `json:"patient_phone"`
	DoctorID     scheduling.ID `json:"doctor_id"`
	DoctorName   string        `json:"doctor_name"`
	Examinations []string      `json:"examinations"`
	BranchID     scheduling.ID `json:"branch_id"`
	Timezone     string        `json:"timezone"`
	// Day is the session's local date at its branch, YYYY-MM-DD.
	Day string `json:"date"`
}

// Service reads and orders queues. It is safe for concurrent use.
type Service struct {
	db  scheduling.DB
	now func() time.Time
}

// New builds the queue on db, with the scheduling service's clock.
func New(db scheduling.DB, sched *scheduling.Service) *Service {
	return &Service{db: db, now: sched.Now}
}
