package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/migrations"
)

func init() { commands["whatsapp link"] = whatsappLink }

// linkWait bounds the whole linking: WhatsApp stops offering codes after about two and a half minutes.
const linkWait = 3 * time.Minute

// whatsappLink links the clinic's WhatsApp number from a terminal: it prints each QR code as WhatsApp
// sends it (or, with --phone, a pairing code to type on that phone) until the phone is linked. When no
// server holds the WhatsApp connection, this command holds it for the while; otherwise the server does
// the linking and this command only shows it.
func whatsappLink(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("whatsapp link", flag.ContinueOnError)
	phone := fs.String("phone", "", "link with a pairing code typed on the phone with this number (E.164) instead of a QR code")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *phone != "" {
		if err := whatsapp.ValidPhone(*phone); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, linkWait)
	defer cancel()
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	// Only warnings reach the terminal, so the QR code stays readable.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := migrations.Up(ctx, pool, logger); err != nil {
		return err
	}
	store := whatsapp.NewStore(pool, nil)
	host, _ := os.Hostname()
	svc := whatsapp.NewService(whatsapp.Devices(pool, logger), store, whatsapp.NewAdapter(notHere{}, store, logger), logger,
		"clinicd whatsapp link on "+host)
	holding := make(chan struct{})
	go func() {
		defer close(holding)
		whatsapp.NewHolder(pool.Config().ConnConfig, logger).Run(ctx, svc.Run)
	}()
	defer func() { cancel(); <-holding }()

	if err := awaitHolder(ctx, store); err != nil {
		return err
	}
	if *phone != "" {
		code, err := store.Ask(ctx, whatsapp.RequestPair, *phone, time.Minute)
		if err != nil {
			return err
		}
		fmt.Printf("On the phone %s, open WhatsApp: tap the notification, or go to Settings → Linked devices →\n"+
			"Link a device → Link with phone number instead, and type:\n\n    %s\n\n", *phone, code)
		return awaitLinked(ctx, store, os.Stdout, false)
	}
	if _, err := store.Ask(ctx, whatsapp.RequestQR, "", time.Minute); err != nil {
		return err
	}
	fmt.Println("Open WhatsApp on the clinic's phone: Settings → Linked devices → Link a device, and scan:")
	return awaitLinked(ctx, store, os.Stdout, true)
}

// awaitHolder waits until a server (or this command) holds the WhatsApp connection.
func awaitHolder(ctx context.Context, store *whatsapp.Store) error {
	for {
		l, err := store.Link(ctx)
		if err != nil {
			return err
		}
		if !l.HeldAt.IsZero() && time.Since(l.HeldAt) < 10*time.Second {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("no server took up the WhatsApp connection in time")
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// awaitLinked follows the link's state until the phone is linked, drawing each new QR code when qr.
func awaitLinked(ctx context.Context, store *whatsapp.Store, out io.Writer, qr bool) error {
	shown := ""
	for {
		l, err := store.Link(ctx)
		if err != nil {
			return err
		}
		switch {
		case l.State == whatsapp.Connected && l.Account != "":
			fmt.Fprintf(out, "WhatsApp is linked to %s. The server reads its messages from now on.\n", l.Account)
			return nil
		case l.State == whatsapp.NotLinked && l.Detail != "":
			return fmt.Errorf("WhatsApp is not linked: %s", l.Detail)
		case qr && l.State == whatsapp.Linking && l.QRCode != "" && l.QRCode != shown:
			text, err := whatsapp.QRText(l.QRCode)
			if err != nil {
				return err
			}
			shown = l.QRCode
			fmt.Fprintf(out, "\n%s\n(a new code comes every 20 seconds or so; the latest one is the one to scan)\n", text)
		}
		select {
		case <-ctx.Done():
			return errors.New("the phone was not linked in time; run the command again")
		case <-time.After(time.Second):
		}
	}
}

// notHere leaves a patient's message that reaches this command unacknowledged: WhatsApp delivers it
// again to the server, which stores and answers it.
type notHere struct{}

// Handle refuses the message, so that it is not acknowledged here.
func (notHere) Handle(context.Context, inbox.Inbound) ([]inbox.Outbound, error) {
	return nil, errors.New("messages are stored by the server, not by the link command")
}
