package inbox

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/inbox/texts"
	"clinic/scheduling"
)

// ConvertInput chooses the visit a request becomes; every field left empty comes from the request.
type ConvertInput struct {
	Start          *time.Time
	DoctorID       *ID
	BranchID       *ID
	ExaminationIDs []ID
}

// Conversion is what converting a request made.
type Conversion struct {
	PatientID ID `json:"patient_id"`
	SessionID ID `json:"session_id"`
	// ConfirmURL is the patient's confirm link (Config.BaseURL + "/c/" + token).
	ConfirmURL string `json:"confirm_url"`
	// Replayed is set when the request was converted before: nothing new was booked or sent.
	Replayed bool `json:"-"`
}

// Convert turns a request into a visit in one transaction (DESIGN 3.5): it finds the patient by phone
// or registers them, books the session into the chosen slot (a slot gone since answers slot_taken with
// the nearest free alternatives), marks the request converted, makes a confirm link and queues the
// confirmation on the patient's channel. Converting a converted request books nothing and answers the
// same session with a fresh link to it.
func (s *Store) Convert(ctx context.Context, id ID, by Staff, in ConvertInput) (*Conversion, error) {
	var out *Conversion
	err := s.inTx(ctx, nil, func(tx pgx.Tx) error {
		var err error
		out, err = s.convert(ctx, tx, id, by, in)
		return err
	})
	return out, err
}

func (s *Store) convert(ctx context.Context, tx pgx.Tx, id ID, by Staff, in ConvertInput) (*Conversion, error) {
	req, err := scanRequest(tx.QueryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.id = $1 FOR UPDATE OF r`, id))
	if err != nil {
		return nil, noRows(err, "request", id)
	}
	sched := s.sched.WithTx(tx)
	if req.Status == StatusConverted && req.SessionID != nil {
		sess, err := sched.GetSession(ctx, *req.SessionID)
		if err != nil {
			return nil, fmt.Errorf("load session of converted request %d: %w", id, err)
		}
		url, err := s.confirmLink(ctx, tx, req, sess)
		if err != nil {
			return nil, err
		}
		return &Conversion{PatientID: *req.PatientID, SessionID: sess.ID, ConfirmURL: url, Replayed: true}, nil
	}
	if req.Status != StatusNew && req.Status != StatusInProgress && req.Status != StatusExpired {
		return nil, conflict(scheduling.CodeInvalidTransition, "request %d is %s and cannot be converted", id, req.Status)
	}
	var conv *Conversation
	if req.ConversationID != nil {
		if conv, err = scanConversation(tx.QueryRow(ctx, `SELECT `+conversationColumns+` FROM conversations c WHERE c.id = $1`, *req.ConversationID)); err != nil {
			return nil, fmt.Errorf("load conversation of request %d: %w", id, err)
		}
	} else if conv, err = s.whatsappConversation(ctx, tx, req); err != nil {
		return nil, err
	}
	patient, err := s.patientFor(ctx, sched, req, conv)
	if err != nil {
		return nil, err
	}
	booking := scheduling.BookingInput{PatientID: patient, Channel: string(req.Channel),
		IdempotencyKey: fmt.Sprintf("inbox-request:%d", id)}
	booking.BranchID = pick(in.BranchID, req.Requested.BranchID)
	booking.DoctorID = pick(in.DoctorID, req.Requested.DoctorID)
	booking.ExaminationIDs = in.ExaminationIDs
	if len(booking.ExaminationIDs) == 0 && req.Requested.ExaminationID != nil {
		booking.ExaminationIDs = []ID{*req.Requested.ExaminationID}
	}
	switch {
	case in.Start != nil:
		booking.Start = *in.Start
	case req.Requested.Start != nil:
		booking.Start = *req.Requested.Start
	}
	if len(booking.ExaminationIDs) == 0 {
		return nil, rule("missing_examination", "choose the examination: the request does not name one")
	}
	sess, err := sched.Book(ctx, by.Actor, booking)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if _, err := tx.Exec(ctx, `UPDATE requests SET status = 'converted', patient_id = $2, session_id = $3,
		converted_at = $4, updated_at = $4 WHERE id = $1`, id, patient, sess.ID, now); err != nil {
		return nil, fmt.Errorf("mark request %d converted: %w", id, err)
	}
	req.PatientID = &patient
	if conv != nil && conv.PatientID == nil {
		conv.PatientID = &patient
		if err := s.UpdateConversation(ctx, tx, conv); err != nil {
			return nil, err
		}
	}
	url, err := s.confirmLink(ctx, tx, req, sess)
	if err != nil {
		return nil, err
	}
	if err := s.confirm(ctx, tx, req, conv, sess, url); err != nil {
		return nil, err
	}
	return &Conversion{PatientID: patient, SessionID: sess.ID, ConfirmURL: url}, nil
}

func pick(chosen, asked *ID) ID {
	if chosen != nil {
		return *chosen
	}
	return derefID(asked)
}

// patientFor is the request's patient: the one its conversation is linked to, else the one with its
// phone, else a new patient registered with its name and phone.
func (s *Store) patientFor(ctx context.Context, sched *scheduling.Service, req *Request, conv *Conversation) (ID, error) {
	if conv != nil && conv.PatientID != nil {
		return *conv.PatientID, nil
	}
	phone, name := req.Phone, req.Name
	if conv != nil {
		phone, name = firstOf(phone, conv.Phone), firstOf(name, conv.Name)
	}
	if phone == "" {
		return 0, rule("missing_phone", "the request has no phone number to find or register the patient by; ask the patient for it first")
	}
	p, err := sched.FindPatientByPhone(ctx, phone)
	if err == nil {
		return p.ID, nil
	}
	var e *scheduling.Error
	if !asError(err, &e) || e.Kind != scheduling.KindNotFound {
		return 0, fmt.Errorf("find patient by phone: %w", err)
	}
	if strings.TrimSpace(name) == "" {
		return 0, rule("missing_name", "the request has no name to register the patient with; ask the patient for it first")
	}
	p, err = sched.CreatePatient(ctx, scheduling.PatientInput{Name: name, Phone: phone})
	if scheduling.IsCode(err, scheduling.CodeDuplicatePhone) {
		// Registered a moment ago by someone else.
		p, err = sched.FindPatientByPhone(ctx, phone)
	}
	if err != nil {
		return 0, err
	}
	return p.ID, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// confirmLink stores a new confirm link to the session, working until the visit ends, and returns
// its address. Only the token's SHA-256 is kept.
func (s *Store) confirmLink(ctx context.Context, tx pgx.Tx, req *Request, sess *scheduling.Session) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("make confirm token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	_, err := tx.Exec(ctx, `INSERT INTO confirm_links (token_hash, request_id, session_id, patient_id, phone, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, sum[:], req.ID, sess.ID, *req.PatientID, req.Phone, sess.End, s.now())
	if err != nil {
		return "", fmt.Errorf("store confirm link of request %d: %w", req.ID, err)
	}
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/c/" + token, nil
}

// confirm queues the confirmation on the request's conversation (for a web-form request whose patient
// agreed to WhatsApp messages, their WhatsApp conversation), or, for a request without one, records it
// on the request for staff to pass on.
func (s *Store) confirm(ctx context.Context, tx pgx.Tx, req *Request, conv *Conversation, sess *scheduling.Session, url string) error {
	v, err := s.visitOf(ctx, tx, sess)
	if err != nil {
		return err
	}
	lang := req.Lang
	if conv != nil && conv.Lang != "" {
		lang = conv.Lang
	}
	if lang, err = s.langOf(ctx, tx, lang); err != nil {
		return err
	}
	text := texts.T(lang, "inbox.confirmation", strings.Join(v.Examinations, ", "), v.Branch, v.Doctor,
		v.Start.Format("2006-01-02"), v.Start.Format("15:04"), url)
	if conv == nil || !conv.Consent {
		if _, err := tx.Exec(ctx, `UPDATE requests SET confirmation = $2 WHERE id = $1`, req.ID, text); err != nil {
			return fmt.Errorf("record confirmation of request %d: %w", req.ID, err)
		}
		return nil
	}
	_, err = s.say(ctx, tx, conv, Outbound{Key: fmt.Sprintf("confirm:%d", req.ID), Text: text, Lang: lang}, author{})
	return err
}
