// Package inbox holds booking requests (leads) from every channel with their conversations, their
// triage by staff, their conversion into a patient and a session, and confirmation links
// (DESIGN 3.5). Messages to patients leave through a Sender that the channels provide.
package inbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// ID is a row's identity, shared with scheduling so ids read the same everywhere.
type ID = scheduling.ID

// Channel names where a conversation takes place.
type Channel string

// The channels a request can come from.
const (
	WebForm  Channel = "web_form"
	Chatbot  Channel = "chatbot"
	WhatsApp Channel = "whatsapp"
	Telegram Channel = "telegram"
)

// Channels lists every channel in the order the console shows them.
var Channels = []Channel{WebForm, Chatbot, WhatsApp, Telegram}

// Status is where a booking request stands.
type Status string

// A request's statuses (DESIGN 3.5).
const (
	StatusNew        Status = "new"
	StatusInProgress Status = "in_progress"
	StatusConverted  Status = "converted"
	StatusRejected   Status = "rejected"
	StatusExpired    Status = "expired"
)

// Inbound is one message from a patient as a channel adapter hands it over.
type Inbound struct {
	Channel Channel
	// Address is the patient's address on the channel: the Telegram chat id, the WhatsApp JID
	// (user@server), the chatbot's conversation id.
	Address string
	// ExternalID is the channel's own id for this message (Telegram update_id, WhatsApp message id,
	// the chat widget's turn id). A second delivery with the same id is a no-op.
	ExternalID string
	// Text is what the patient wrote; Choice is the id of a choice they picked, if any.
	Text   string
	Choice string
	// Name is the sender's display name where the channel gives one.
	Name string
	// Phone is a phone number in E.164 that the channel vouches for (the WhatsApp number, a Telegram
	// contact whose user id is the sender's); empty when none is known.
	Phone string
	// Lang is a language hint from the channel (Telegram's language_code), empty when none.
	Lang string
	// At is when the channel says the message was sent; zero means now.
	At time.Time
}

// Choice is one answer a patient can pick; each channel renders choices its own way (inline keyboard,
// numbered list, buttons).
type Choice struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Outbound is one message to a patient.
type Outbound struct {
	// MessageID is the stored message this delivers; Key is its idempotency key (one key, one send).
	MessageID ID
	Key       string
	Channel   Channel
	Address   string
	Text      string
	Choices   []Choice
	// AskPhone asks the channel to offer its phone-sharing control (Telegram's contact button).
	AskPhone bool
	Lang     string
}

// Sender queues a message to a patient. It joins the caller's transaction, so a message is queued
// exactly when the change that causes it commits; delivery and its retries happen afterwards. The
// channels' durable outbox implements it.
type Sender interface {
	Send(ctx context.Context, tx pgx.Tx, msg Outbound) error
}

// ManySender is a Sender that also queues several messages at once, as one round trip to the
// database instead of one for each.
type ManySender interface {
	Sender
	SendMany(ctx context.Context, tx pgx.Tx, msgs []Outbound) error
}

// Requested is what a patient asked for; every part is optional.
type Requested struct {
	ExaminationID *ID        `json:"examination_id,omitempty"`
	BranchID      *ID        `json:"branch_id,omitempty"`
	DoctorID      *ID        `json:"doctor_id,omitempty"`
	Start         *time.Time `json:"preferred_start,omitempty"`
	Text          string     `json:"message,omitempty"`
	// Fields are the clinic's custom form fields, by key.
	Fields map[string]string `json:"fields,omitempty"`
}

// NewRequest is a booking request as a channel records it.
type NewRequest struct {
	Channel Channel
	// Address is the patient's address on the channel (empty for the web form).
	Address string
	// Key makes a repeated submission (a double click, a retried post) return the request it made.
	Key   string
	Name  string
	Phone string // E.164
	Lang  string
	Requested
}

// Conversation is one patient's thread on one channel address. Its messages, in order, are the whole
// conversation that staff read in the inbox.
type Conversation struct {
	ID        ID
	Channel   Channel
	Address   string
	PatientID *ID
	Name      string
	Phone     string // E.164 once verified or given
	Lang      string
	// Handover is true while staff hold the conversation: the bot stays quiet until they hand back.
	Handover bool
	// Consent is true when the patient wrote first or agreed to be messaged on this address.
	Consent bool
	// PreviousIn is when the patient wrote the message before the one Receive just stored, as
	// committed when it was stored, or nil (their first message, or a conversation not read by Receive).
	PreviousIn *time.Time
	// Opened is true when the message Receive just stored opened the conversation: there is nothing
	// before it.
	Opened bool
}

// Direction says who wrote a message.
type Direction string

// Message directions.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Delivery is where an outbound message stands; inbound messages are DeliveryReceived.
type Delivery string

// Delivery states.
const (
	DeliveryReceived Delivery = "received"
	DeliveryQueued   Delivery = "queued"
	DeliverySent     Delivery = "sent"
	DeliveryFailed   Delivery = "failed"
)

// Message is one message of a conversation.
type Message struct {
	ID             ID        `json:"id"`
	ConversationID ID        `json:"conversation_id"`
	Direction      Direction `json:"direction"`
	Text           string    `json:"text"`
	// Choice is the id of the choice an inbound message picked, if any.
	Choice  string   `json:"choice,omitempty"`
	Choices []Choice `json:"choices,omitempty"`
	// By names the staff member who wrote an outbound message; empty for the bot and the system.
	By       string    `json:"by,omitempty"`
	Delivery Delivery  `json:"delivery"`
	Error    string    `json:"error,omitempty"`
	At       time.Time `json:"at"`
}
