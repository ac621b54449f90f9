package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
)

// Limits on one chat turn.
const (
	maxChatText   = 1000
	maxChatChoice = 64
)

var (
	// A conversation id is the 128-bit random hex the server issued on the first turn.
	chatConversationID = regexp.MustCompile(`^[0-9a-f]{32}$`)
	chatTurnID         = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,100}$`)
)

// chatRoutes mounts the website chatbot: POST /api/v1/public/chat and the conversation's messages,
// behind the public rate limit.
func (s *Server) chatRoutes(bounded *gin.RouterGroup) {
	// The tracker's limiter counts per client in Redis, so the chat shares one budget with it.
	limit := &tracker{s: s}
	limited := bounded.Group("", limit.rateLimit)
	limited.POST("/api/v1/public/chat", s.chatTurn)
	limited.GET("/api/v1/public/chat/:conversation_id", s.chatMessages)
}

// chatInput is one turn of the website chatbot.
type chatInput struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
	Choice         string `json:"choice"`
	// TurnID names the turn so a retried post is answered once; the server makes one when absent.
	TurnID string `json:"turn_id"`
	Lang   string `json:"lang"`
}

// chatReply is one bot message as the widget draws it.
type chatReply struct {
	Text     string         `json:"text"`
	Choices  []inbox.Choice `json:"choices"`
	AskPhone bool           `json:"ask_phone,omitempty"`
}

// replayer answers a turn delivered again with the replies it got the first time.
type replayer interface {
	Replay(ctx context.Context, in inbox.Inbound) ([]inbox.Outbound, error)
}

// chatTurn takes one message of the website chatbot and answers with the bot's replies. The first
// turn (no conversation_id) opens a conversation and answers with its id.
func (s *Server) chatTurn(c *gin.Context) {
	var in chatInput
	if !decode(c, &in) {
		return
	}
	switch {
	case in.ConversationID != "" && !chatConversationID.MatchString(in.ConversationID):
		abort(c, http.StatusBadRequest, "invalid_conversation", "conversation_id is the id the chat gave on its first answer")
		return
	case in.TurnID != "" && !chatTurnID.MatchString(in.TurnID):
		abort(c, http.StatusBadRequest, "invalid_turn_id", "turn_id has 1 to 100 letters, digits or . _ : -")
		return
	case utf8.RuneCountInString(in.Text) > maxChatText:
		abort(c, http.StatusUnprocessableEntity, "text_too_long", "a chat message has at most 1000 characters")
		return
	case len(in.Choice) > maxChatChoice:
		abort(c, http.StatusBadRequest, "invalid_choice", "choice is the id of one of the bot's choices")
		return
	case in.ConversationID != "" && in.Text == "" && in.Choice == "":
		abort(c, http.StatusUnprocessableEntity, "missing_text", "write a message or pick a choice")
		return
	case len(in.Lang) > 16:
		abort(c, http.StatusBadRequest, "invalid_lang", "lang is a language code such as en or ar")
		return
	}
	if s.chat == nil {
		abort(c, http.StatusServiceUnavailable, "chat_unavailable", "the chat is not available; please use the booking form at /book")
		return
	}
	if in.ConversationID == "" {
		in.ConversationID = chatRandomID(16)
	}
	if in.TurnID == "" {
		in.TurnID = chatRandomID(12)
	}
	msg := inbox.Inbound{Channel: inbox.Chatbot, Address: in.ConversationID,
		ExternalID: in.ConversationID + ":" + in.TurnID, Text: in.Text, Choice: in.Choice, Lang: in.Lang}
	out, err := s.chat.Handle(c.Request.Context(), msg)
	if err == nil && len(out) == 0 {
		if r, ok := s.chat.(replayer); ok {
			out, err = r.Replay(c.Request.Context(), msg)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	replies := make([]chatReply, len(out))
	for i, o := range out {
		replies[i] = chatReply{Text: o.Text, Choices: o.Choices, AskPhone: o.AskPhone}
		if replies[i].Choices == nil {
			replies[i].Choices = []inbox.Choice{}
		}
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": in.ConversationID, "replies": replies})
}

// chatRandomID is n random bytes in hex: ids nobody can guess (DESIGN 7: at least 128 bits for links).
func chatRandomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// chatMessages returns the conversation's messages, oldest first, so that a reloaded widget draws
// the thread again with staff's replies in it. Only whoever holds the unguessable id can read it.
func (s *Server) chatMessages(c *gin.Context) {
	id := c.Param("conversation_id")
	if !chatConversationID.MatchString(id) || s.inbox == nil {
		abort(c, http.StatusNotFound, "not_found", "no such conversation")
		return
	}
	conv, msgs, err := s.inbox.ConversationMessages(c.Request.Context(), inbox.Chatbot, id, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]chatMessage, len(msgs))
	for i, m := range msgs {
		items[i] = chatMessage{ID: m.ID, Direction: m.Direction, Text: m.Text, Choices: m.Choices, By: m.By, At: m.At}
		if items[i].Choices == nil {
			items[i].Choices = []inbox.Choice{}
		}
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": id, "lang": conv.Lang, "handover": conv.Handover, "items": items})
}

// chatMessage is one message of the thread as the patient sees it: no delivery details.
type chatMessage struct {
	ID        inbox.ID        `json:"id"`
	Direction inbox.Direction `json:"direction"`
	Text      string          `json:"text"`
	Choices   []inbox.Choice  `json:"choices"`
	// By names the staff member who wrote it; empty for the bot.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at"`
}
