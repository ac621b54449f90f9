package whatsapp

import (
	"context"
	"fmt"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// QRPNG draws a link code as a QR image (PNG, size pixels square) for the console and the API.
func QRPNG(code string, size int) ([]byte, error) {
	png, err := qrcode.Encode(code, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("draw the WhatsApp QR code: %w", err)
	}
	return png, nil
}

// QRText draws a link code as a QR code in text, two rows per line, for a terminal.
func QRText(code string) (string, error) {
	q, err := qrcode.New(code, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("draw the WhatsApp QR code: %w", err)
	}
	return q.ToSmallString(false), nil
}

// Link reads the link's recorded state, for the channels page and the API.
func (h *Health) Link(ctx context.Context) (Link, error) { return h.store.Link(ctx) }

// Ask hands a link request to the server holding the connection and waits up to wait (Store.Ask).
func (h *Health) Ask(ctx context.Context, kind RequestKind, phone string, wait time.Duration) (string, error) {
	return h.store.Ask(ctx, kind, phone, wait)
}

// Now is the clock the states are stamped with.
func (h *Health) Now() time.Time { return h.store.now() }
