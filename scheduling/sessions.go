package scheduling

import (
	"time"
)

// Session statuses (DESIGN 3.2).
const (
	StatusWaiting   = "waiting"
	StatusOpen      = "open"
	StatusCompleted = "completed"
	StatusCancelled = "cancelled"
	StatusNoShow    = "no_show"
)

// Session is one patient visit: booked, queued, seen, billed and recorded.
type Session struct {
	ID           ID                   `json:"id"`
	PatientID    ID                   `json:"patient_id"`
	BranchID     ID                   `json:"branch_id"`
	DoctorID     ID                   `json:"doctor_id"`
	PatientName  string               `json:"patient_name,omitempty"`
	DoctorName   string               `json:"doctor_name,omitempty"`
	RoomID       *ID                  `json:"room_id"`
	Status       string               `json:"status"`
	Channel      string               `json:"channel"`
	Start        time.Time            `json:"start"`
	End          time.Time            `json:"end"`
	CheckedInAt  *time.Time           `json:"checked_in_at"`
	OpenedAt     *time.Time           `json:"opened_at"`
	CompletedAt  *time.Time           `json:"completed_at"`
	CancelledAt  *time.Time           `json:"cancelled_at"`
	CancelReason *string              `json:"cancel_reason"`
	CreatedAt    time.Time            `json:"created_at"`
	Examinations []SessionExamination `json:"examinations"`
	History      []Event              `json:"history"`

	// Replayed is set when Book returned the session an earlier request with the same idempotency
	// key made.
	Replayed bool `json:"-"`
}

// SessionExamination is one examination of a session, at its place in the running order.
type SessionExamination struct {
	ExaminationID ID        `json:"examination_id"`
	Code          string    `json:"code"`
	Name          string    `json:"name"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
}

// Event is one entry of a session's audit trail.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	From   *string   `json:"from"`
	To     *string   `json:"to"`
	Detail string    `json:"detail,omitempty"`
}

// BookingInput is what booking a session takes.
type BookingInput struct {
	PatientID      ID        `json:"patient_id"`
	BranchID       ID        `json:"branch_id"`
	DoctorID       ID        `json:"doctor_id"`
	ExaminationIDs []ID      `json:"examination_ids"`
	Start          time.Time `json:"start"`
	RoomID         *ID       `json:"room_id"`
	Channel        string    `json:"channel"`
	// IdempotencyKey, when set, makes a retry of this booking return the session it made instead of
	// booking again (the API takes it from the Idempotency-Key header).
	IdempotencyKey string `json:"-"`
}
