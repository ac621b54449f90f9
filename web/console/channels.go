package console

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/channels"
	"clinic/channels/whatsapp"
	"clinic/inbox"
)

func init() { pageNames = append(pageNames, "channels") }

// channelsPath is the channels page, under the settings (owners and managers).
const channelsPath = Prefix + "/settings/channels"

// channelRoutes mounts the channels page: each channel's health (Telegram's webhook state among
// them) and WhatsApp's link with its QR code, pairing code and unlink (SCENARIOS 9).
func (con *Console) channelRoutes(in *gin.RouterGroup) {
	g := in.Group("/settings/channels", con.allow(settingsRoles...))
	g.GET("", con.channelsPage)
	g.GET("/whatsapp/qr.png", con.whatsappQRImage)
	g.GET("/whatsapp/state", con.whatsappState)
	g.POST("/whatsapp/link", con.whatsappLink)
	g.POST("/whatsapp/pair", con.whatsappPair)
	g.POST("/whatsapp/unlink", con.whatsappUnlink)
	g.POST("/failures/:msg/resend", con.resendFailure)
}

// channelNames are the channels as staff call them.
var channelNames = map[inbox.Channel]string{
	inbox.WebForm: "Booking form", inbox.Chatbot: "Website chat", inbox.WhatsApp: "WhatsApp", inbox.Telegram: "Telegram",
}

// channelsPage is the page: WhatsApp's link, and every other channel's health.
type channelsPage struct {
	WhatsApp *whatsappView
	Others   []channelRow
	// Failures are the latest messages that could not be delivered; Outbox is false when the outbox
	// does not run here (the section is left out).
	Failures []failureRow
	Outbox   bool
	CSRF     string
}

// channelRow is one channel's health in words.
type channelRow struct {
	Name, State, Detail, Since string
	Down                       bool
}

// channelsPage shows the channels, each asked for its health at once.
func (con *Console) channelsPage(c *gin.Context) {
	p := channelsPage{CSRF: signedIn(c).CSRF}
	for _, h := range con.healths(c.Request.Context(), 5*time.Second) {
		if h.Channel == inbox.WhatsApp {
			continue
		}
		p.Others = append(p.Others, channelRow{Name: channelNames[h.Channel], State: stateLabel(h), Detail: h.Detail,
			Since: con.since(h.Since), Down: h.Down})
	}
	if wa := con.whatsapp(); wa != nil {
		v, err := con.whatsappViewOf(c.Request.Context(), wa)
		if err != nil {
			con.fail(c, err)
			return
		}
		p.WhatsApp = v
	}
	var err error
	if p.Failures, p.Outbox, err = con.failures(c.Request.Context()); err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "channels", "Channels", p)
}

// healths asks every channel for its health at once, each bounded by wait.
func (con *Console) healths(ctx context.Context, wait time.Duration) []channels.Health {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	out := make([]channels.Health, len(con.channels))
	var wg sync.WaitGroup
	for i, src := range con.channels {
		wg.Go(func() { out[i] = src.Health(ctx) })
	}
	wg.Wait()
	return out
}

// channelAlert is a banner line about a channel patients cannot use right now.
type channelAlert struct {
	Name, State, Detail string
	// Link is true for those who may open the channels page to fix it.
	Link bool
}

// channelAlerts are the banners every signed-in page shows: one per channel that is down, and one per
// warning of a channel that will go down unless staff act (WhatsApp's phone offline for days). A
// channel slow to answer is left out rather than holding the page.
func (con *Console) channelAlerts(c *gin.Context) []channelAlert {
	if len(con.channels) == 0 {
		return nil
	}
	var out []channelAlert
	link := slices.Contains(settingsRoles, signedIn(c).Role)
	for _, h := range con.healths(c.Request.Context(), time.Second) {
		if h.Down {
			out = append(out, channelAlert{Name: channelNames[h.Channel], State: stateLabel(h), Detail: h.Detail, Link: link})
		}
		if h.Warning != "" {
			out = append(out, channelAlert{Name: channelNames[h.Channel], State: warningLabel(h), Detail: h.Warning, Link: link})
		}
	}
	return out
}

// stateLabel is a channel's state in words.
func stateLabel(h channels.Health) string {
	if h.Channel == inbox.WhatsApp {
		return whatsapp.State(h.State).Label()
	}
	return strings.ReplaceAll(h.State, "_", " ")
}

// warningLabel names a channel's warning in a few words.
func warningLabel(h channels.Health) string {
	if h.Channel == inbox.WhatsApp {
		return "Phone offline"
	}
	return "Needs attention"
}

// since is when a state began, in the server's local time, or "" when unknown.
func (con *Console) since(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.Local().Format("Mon 2 Jan 15:04")
}

// whatsapp is the WhatsApp channel among the health sources; nil when it is not set up.
func (con *Console) whatsapp() *whatsapp.Health {
	for _, src := range con.channels {
		if h, ok := src.(*whatsapp.Health); ok {
			return h
		}
	}
	return nil
}
