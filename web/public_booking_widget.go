package web

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/web/i18n"
)

// widgetKeys are the chat widget's own texts (its button, title, field); the bot's words come from
// the chat itself.
var widgetKeys = map[string]string{"open": "chat.open", "title": "chat.title", "close": "chat.close",
	"placeholder": "chat.placeholder", "send": "chat.send", "hello": "chat.hello",
	"unavailable": "chat.unavailable", "form": "chat.form"}

// widget serves the chat widget's loader: GET /chat.js, the one script tag a clinic puts on its site.
// The loader names the clinic's address (where it was loaded from), the widget's texts in each
// language and the widget itself, a content-hashed file cached for a year; the loader is cached for a
// day, so a new widget reaches every site within one.
func (b *bookingForm) widget(c *gin.Context) {
	src, err := b.site.AssetURL("chat-widget.js")
	if err != nil {
		b.s.fail(c, err)
		return
	}
	texts := map[string]map[string]string{}
	for _, lang := range i18n.Supported() {
		texts[lang] = map[string]string{}
		for k, key := range widgetKeys {
			texts[lang][k] = inbox.FormText(lang, key)
		}
	}
	cfg, err := json.Marshal(map[string]any{"src": src, "texts": texts})
	if err != nil {
		b.s.fail(c, err)
		return
	}
	js := "(function(){var me=document.currentScript;if(!me||window.ClinicChat)return;var c=" + string(cfg) + ";" +
		"c.base=new URL(me.src).origin;window.ClinicChat=c;var s=document.createElement('script');" +
		"s.src=c.base+c.src;s.async=true;(document.head||document.documentElement).appendChild(s);})();\n"
	c.Header("Cache-Control", "public, max-age=86400")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cross-Origin-Resource-Policy", "cross-origin")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", []byte(js))
}

// publicCORS lets pages of any site call the public chat endpoints: the widget runs on the clinic's
// own site and talks to this server. The endpoints carry no cookies or credentials, so any origin
// may read their answers; the widget sends only simple requests, which need no preflight.
func publicCORS(c *gin.Context) {
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Access-Control-Expose-Headers", "Retry-After")
	c.Next()
}
