package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Request is a booking request (a lead) as staff see it in the inbox.
type Request struct {
	ID             ID        `json:"id"`
	Channel        Channel   `json:"channel"`
	Status         Status    `json:"status"`
	ConversationID *ID       `json:"conversation_id"`
	Name           string    `json:"name"`
	Phone          string    `json:"phone"`
	Lang           string    `json:"lang"`
	Requested      Requested `json:"requested"`
	// AssigneeID is the staff user handling the request; Assignee is their e-mail address.
	AssigneeID   *ID    `json:"assignee_id"`
	Assignee     string `json:"assignee,omitempty"`
	RejectReason string `json:"reject_reason,omitempty"`
	PatientID    *ID    `json:"patient_id"`
	SessionID    *ID    `json:"session_id"`
	// Confirmation is the confirmation text for a request without a conversation (the web form), for
	// staff to pass on.
	Confirmation string     `json:"confirmation,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	ConvertedAt  *time.Time `json:"converted_at,omitempty"`
	// Handover is true while staff hold the request's conversation (the bot stays quiet).
	Handover bool `json:"handover"`
}

const requestColumns = `r.id, r.channel, r.status, r.conversation_id, r.name, r.phone, r.lang,
	r.examination_id, r.branch_id, r.doctor_id, r.preferred_start, r.message, r.fields,
	r.assignee_id, COALESCE(u.email, ''), COALESCE(r.reject_reason, ''), r.patient_id, r.session_id,
	r.confirmation, r.created_at, r.updated_at, r.converted_at, COALESCE(rc.handover, false)`

const requestFrom = ` FROM requests r LEFT JOIN users u ON u.id = r.assignee_id
	LEFT JOIN conversations rc ON rc.id = r.conversation_id`

func scanRequest(row pgx.Row) (*Request, error) {
	var r Request
	var fields []byte
	err := row.Scan(&r.ID, &r.Channel, &r.Status, &r.ConversationID, &r.Name, &r.Phone, &r.Lang,
		&r.Requested.ExaminationID, &r.Requested.BranchID, &r.Requested.DoctorID, &r.Requested.Start,
		&r.Requested.Text, &fields, &r.AssigneeID, &r.Assignee, &r.RejectReason, &r.PatientID, &r.SessionID,
		&r.Confirmation, &r.CreatedAt, &r.UpdatedAt, &r.ConvertedAt, &r.Handover)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(fields, &r.Requested.Fields); err != nil {
		return nil, fmt.Errorf("read request %d fields: %w", r.ID, err)
	}
	if len(r.Requested.Fields) == 0 {
		r.Requested.Fields = nil
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if r.Requested.Start != nil {
		t := r.Requested.Start.UTC()
		r.Requested.Start = &t
	}
	if r.ConvertedAt != nil {
		t := r.ConvertedAt.UTC()
		r.ConvertedAt = &t
	}
	return &r, nil
}

// Submit records a booking request (linked to the conversation of in.Channel/in.Address when one
// exists); a repeated in.Key returns the first request with dup=true.
func (s *Store) Submit(ctx context.Context, tx pgx.Tx, in NewRequest) (req *Request, dup bool, err error) {
	if err := checkNewRequest(&in); err != nil {
		return nil, false, err
	}
	fields, err := json.Marshal(in.Fields)
	if err != nil {
		return nil, false, fmt.Errorf("encode request fields: %w", err)
	}
	if in.Fields == nil {
		fields = []byte("{}")
	}
	var id ID
	err = s.inTx(ctx, tx, func(tx pgx.Tx) error {
		now := s.now()
		err := tx.QueryRow(ctx, `
			INSERT INTO requests (channel, conversation_id, key, name, phone, lang, examination_id, branch_id,
				doctor_id, preferred_start, message, fields, created_at, updated_at)
			VALUES ($1, (SELECT id FROM conversations WHERE channel = $1 AND address = $2), NULLIF($3, ''),
				$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
			ON CONFLICT (channel, key) DO NOTHING
			RETURNING id`,
			in.Channel, in.Address, in.Key, in.Name, in.Phone, in.Lang, in.ExaminationID, in.BranchID,
			in.DoctorID, in.Start, in.Text, fields, now).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			dup = true
			err = tx.QueryRow(ctx, `SELECT id FROM requests WHERE channel = $1 AND key = $2`, in.Channel, in.Key).Scan(&id)
		}
		if err != nil {
			return requestRefused(err, in)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	req, err = s.request(ctx, tx, id)
	return req, dup, err
}

// requestRefused explains a request the database refused: an examination, branch or doctor that does
// not exist.
func requestRefused(err error, in NewRequest) error {
	code, constraint := pgCode(err)
	if code == sqlstateForeignKey {
		switch {
		case strings.Contains(constraint, "examination"):
			return rule("unknown_examination", "examination %d does not exist", derefID(in.ExaminationID))
		case strings.Contains(constraint, "branch"):
			return rule("unknown_branch", "branch %d does not exist", derefID(in.BranchID))
		case strings.Contains(constraint, "doctor"):
			return rule("unknown_doctor", "doctor %d does not exist", derefID(in.DoctorID))
		}
	}
	return fmt.Errorf("record booking request: %w", err)
}

func checkNewRequest(in *NewRequest) error {
	in.Name = cut(strings.TrimSpace(in.Name), maxName)
	in.Lang = cut(in.Lang, maxLang)
	in.Text = strings.TrimSpace(in.Text)
	switch {
	case !validChannel(in.Channel):
		return invalid("invalid_channel", "channel %q is not one of web_form, chatbot, whatsapp, telegram", in.Channel)
	case len(in.Address) > maxAddress:
		return invalid("invalid_address", "a conversation's address has at most %d characters", maxAddress)
	case len(in.Key) > maxIDLength:
		return invalid("invalid_key", "a request key has at most %d characters", maxIDLength)
	case len([]rune(in.Text)) > maxReqText:
		return rule("message_too_long", "the message has at most %d characters", maxReqText)
	case len(in.Fields) > maxFields:
		return rule("too_many_fields", "a request has at most %d custom fields", maxFields)
	}
	for k, v := range in.Fields {
		if k == "" || len([]rune(k)) > maxFieldKey || len([]rune(v)) > maxFieldText {
			return rule("invalid_field", "a custom field's name has 1 to %d characters and its value at most %d", maxFieldKey, maxFieldText)
		}
	}
	if in.Phone != "" {
		phone, err := scheduling.NormalizePhone(in.Phone, "")
		if err != nil {
			return err
		}
		in.Phone = phone
	}
	if in.Start != nil {
		t := scheduling.Instant(*in.Start)
		in.Start = &t
	}
	return nil
}

// request loads one request.
func (s *Store) request(ctx context.Context, tx pgx.Tx, id ID) (*Request, error) {
	r, err := scanRequest(s.db(tx).QueryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return nil, noRows(err, "request", id)
	}
	return r, nil
}
