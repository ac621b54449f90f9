package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"clinic/scheduling"
)

// errLinked refuses a link request while a phone is linked: unlink first.
var errLinked = errors.New("a phone is already linked; unlink it first to link another")

// codeWait is how long a link request waits for WhatsApp's first QR code.
const codeWait = 20 * time.Second

// watch follows the client's connection events that change what this server does next; the adapter
// records them for staff.
func (s *Service) watch(ctx context.Context, cli *whatsmeow.Client, evt any) {
	switch e := evt.(type) {
	case *events.Connected:
		if id := cli.Store.ID; id != nil {
			s.record(ctx, s.store.SetAccount(ctx, phoneOf(id.ToNonAD())))
		}
	case *events.PairSuccess:
		s.record(ctx, s.store.SetAccount(ctx, phoneOf(e.ID.ToNonAD())))
	case *events.StreamReplaced:
		// Another client with these keys took over; reconnecting would knock it off in turn, forever.
		cli.EnableAutoReconnect = false
		s.drop(cli, func() { s.replaced = true })
	case *events.LoggedOut:
		// whatsmeow has deleted the device: the next link starts afresh.
		s.record(ctx, s.store.SetAccount(ctx, ""))
		s.drop(cli, nil)
	case *events.TemporaryBan:
		until := time.Now().Add(max(e.Expire, time.Minute))
		s.drop(cli, func() { s.notBefore = until })
	case *events.ClientOutdated:
		s.drop(cli, func() { s.notBefore = time.Now().Add(time.Hour) })
		s.record(ctx, s.store.SetState(ctx, Disconnected, "WhatsApp refuses this version of the server; it needs an update"))
	}
}

// drop forgets a client that will not reconnect by itself and runs change under the lock. The client
// is disconnected outside the event handler, which must not wait on the client's own locks.
func (s *Service) drop(cli *whatsmeow.Client, change func()) {
	s.mu.Lock()
	if s.cli == cli {
		s.cli = nil
	}
	if change != nil {
		change()
	}
	s.mu.Unlock()
	go cli.Disconnect()
}

func (s *Service) record(ctx context.Context, err error) {
	if err != nil {
		s.log.ErrorContext(ctx, "WhatsApp state not recorded", "err", err)
	}
}

// serveRequest carries out the oldest waiting link request, if any, and records its answer.
func (s *Service) serveRequest(ctx context.Context) {
	r, err := s.store.pending(ctx)
	if err != nil || r == nil {
		if err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "WhatsApp link requests", "err", err)
		}
		return
	}
	var result string
	switch r.Kind {
	case RequestQR:
		result, err = s.linkCode(ctx)
	case RequestPair:
		result, err = s.pair(ctx, r.Phone)
	case RequestUnlink:
		err = s.unlink(ctx)
	}
	if err != nil {
		s.log.WarnContext(ctx, "WhatsApp link request refused", "kind", r.Kind, "err", err)
	}
	s.record(ctx, s.store.answer(ctx, r.ID, result, err))
}

// linkCode starts linking if it is not under way and returns the QR code to show.
func (s *Service) linkCode(ctx context.Context) (string, error) {
	if err := s.startLinking(ctx); err != nil {
		return "", err
	}
	deadline := time.Now().Add(codeWait)
	for time.Now().Before(deadline) {
		l, err := s.store.Link(ctx)
		if err != nil {
			return "", err
		}
		if l.State == Linking && l.QRCode != "" {
			return l.QRCode, nil
		}
		s.mu.Lock()
		running := s.linking != nil
		s.mu.Unlock()
		if !running {
			return "", fmt.Errorf("WhatsApp closed the linking before showing a code: %s", l.Detail)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return "", errors.New("WhatsApp did not send a QR code in time; try again")
}

// startLinking connects a fresh device that shows QR codes, unless linking is already under way.
func (s *Service) startLinking(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.linking != nil {
		return nil
	}
	dev, err := s.devices.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read the WhatsApp device: %w", err)
	}
	if dev.ID != nil {
		return errLinked
	}
	cli := s.newClient(ctx, dev)
	qr, err := cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("start linking: %w", err)
	}
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("connect to WhatsApp to link: %w", err)
	}
	s.cli, s.replaced, s.notBefore = cli, false, time.Time{}
	s.linking = make(chan struct{})
	go s.followQR(ctx, cli, qr, s.linking)
	return nil
}

// followQR records each QR code as WhatsApp sends it, until the phone links or the codes run out.
func (s *Service) followQR(ctx context.Context, cli *whatsmeow.Client, qr <-chan whatsmeow.QRChannelItem, done chan struct{}) {
	linked := false
	for item := range qr {
		switch item.Event {
		case whatsmeow.QRChannelEventCode:
			s.record(ctx, s.store.SetQR(ctx, item.Code, time.Now().Add(item.Timeout)))
		case whatsmeow.QRChannelSuccess.Event:
			linked = true
		case whatsmeow.QRChannelTimeout.Event:
			s.record(ctx, s.store.SetState(ctx, NotLinked, "the QR code expired before it was scanned; ask for a new one"))
		default:
			s.record(ctx, s.store.SetState(ctx, NotLinked, fmt.Sprintf("linking failed (%s %v); try again", item.Event, item.Error)))
		}
	}
	s.mu.Lock()
	if !linked && s.cli == cli {
		s.cli = nil
	}
	s.linking = nil
	s.mu.Unlock()
	close(done)
}

// pair asks WhatsApp for a code to type on the phone at phone (E.164) instead of scanning.
func (s *Service) pair(ctx context.Context, phone string) (string, error) {
	if _, err := s.linkCode(ctx); err != nil {
		return "", err
	}
	s.mu.Lock()
	cli := s.cli
	s.mu.Unlock()
	if cli == nil {
		return "", errors.New("the linking connection closed; try again")
	}
	code, err := cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		return "", fmt.Errorf("WhatsApp refused a pairing code for %s: %w", phone, err)
	}
	if len(code) == 8 {
		code = code[:4] + "-" + code[4:]
	}
	return code, s.store.SetState(ctx, Linking, "waiting for the pairing code to be entered on the phone "+phone)
}

// unlink ends the link on WhatsApp's side when it can, and forgets the device here in any case.
func (s *Service) unlink(ctx context.Context) error {
	s.mu.Lock()
	cli := s.cli
	s.cli, s.replaced, s.notBefore = nil, false, time.Time{}
	s.mu.Unlock()
	if cli != nil && cli.IsLoggedIn() {
		if err := cli.Logout(ctx); err == nil {
			return s.forget(ctx)
		}
	}
	if cli != nil {
		cli.Disconnect()
	}
	dev, err := s.devices.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read the WhatsApp device: %w", err)
	}
	if dev.ID != nil {
		if err := s.devices.DeleteDevice(ctx, dev); err != nil {
			return fmt.Errorf("forget the WhatsApp device: %w", err)
		}
	}
	return s.forget(ctx)
}

func (s *Service) forget(ctx context.Context) error {
	if err := s.store.SetAccount(ctx, ""); err != nil {
		return err
	}
	return s.store.SetState(ctx, NotLinked, "unlinked from the console")
}

// ValidPhone checks a phone for a pairing code: E.164, as the phone's owner would type it with +.
func ValidPhone(phone string) error {
	if len(phone) < 8 || phone[0] != '+' || phoneOf(types.NewJID(phone[1:], types.DefaultUserServer)) == "" {
		return scheduling.Invalid("invalid_phone", "Give the phone number with its country code, like +15551234567.")
	}
	return nil
}
