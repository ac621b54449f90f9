package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/channels"
	"clinic/inbox"
)

// channelRoutes mounts channel health (GET /api/v1/channels) and the channels' webhooks.
func (s *Server) channelRoutes(bounded, api *gin.RouterGroup) {
	bounded.POST("/webhooks/telegram", s.telegramWebhook)
	api.GET("/channels", allow(anyStaff...), s.listChannels)
	s.whatsappRoutes(api)
	s.outboxRoutes(api)
}

// telegramWebhook hands Telegram's update to the Telegram channel, which checks the secret and answers
// once the update is stored; with the channel off there is nothing here.
func (s *Server) telegramWebhook(c *gin.Context) {
	if s.telegram == nil {
		abort(c, http.StatusNotFound, "not_found", "the Telegram channel is not set up")
		return
	}
	s.telegram.ServeHTTP(c.Writer, c.Request)
}

// channelHealthTimeout bounds one channel's answer, so one slow channel cannot hold the page.
const channelHealthTimeout = 5 * time.Second

// listChannels answers every channel's health, asked of each at once. The web form and the chatbot
// are served by this server, so unless a source reports them they read ok, or degraded while Redis,
// which holds the chatbot's conversations, does not answer; Telegram without a source is off.
func (s *Server) listChannels(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), channelHealthTimeout)
	defer cancel()
	items := make([]channels.Health, len(s.channels))
	var wg sync.WaitGroup
	for i, src := range s.channels {
		wg.Go(func() { items[i] = src.Health(ctx) })
	}
	wg.Wait()
	reported := map[inbox.Channel]bool{}
	for _, h := range items {
		reported[h.Channel] = true
	}
	if !reported[inbox.WebForm] || !reported[inbox.Chatbot] {
		redisUp := s.redis == nil || s.redis.Ping(ctx).Err() == nil
		for _, ch := range []inbox.Channel{inbox.WebForm, inbox.Chatbot} {
			if !reported[ch] {
				items = append(items, localHealth(ch, redisUp))
			}
		}
	}
	if !reported[inbox.Telegram] {
		items = append(items, channels.Health{Channel: inbox.Telegram, State: "off", Detail: "no bot token is set"})
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func localHealth(ch inbox.Channel, redisUp bool) channels.Health {
	if redisUp {
		return channels.Health{Channel: ch, State: "ok"}
	}
	h := channels.Health{Channel: ch, State: "degraded", Detail: "Redis does not answer"}
	if ch == inbox.Chatbot {
		h.Detail += ": the chat cannot continue conversations and offers the booking form"
		h.Down = true
	} else {
		h.Detail += ": the form takes requests; slots held in chats are not known to it"
	}
	return h
}
