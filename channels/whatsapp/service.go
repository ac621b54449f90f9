package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	wastore "go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

// Service runs the whatsmeow client on the server that holds the connection (Holder): it connects a
// linked device, reconnects with backoff, carries out link requests from any server, and sends for
// the Deliverer. On other servers it holds no client and sends nothing.
type Service struct {
	devices *sqlstore.Container
	store   *Store
	adapter *Adapter
	log     *slog.Logger
	name    string
	// Tick is how often the holder looks for link requests and records that it is alive.
	Tick time.Duration

	mu  sync.Mutex
	cli *whatsmeow.Client
	// replaced is set when another client took the link over: this server stops reconnecting.
	replaced bool
	// notBefore holds off reconnecting while WhatsApp bans the number or refuses this version.
	notBefore time.Time
	// linking is closed when a linking attempt ends; nil when none runs.
	linking chan struct{}
	// firstQR receives once when a linking attempt's connection is up (its first QR code).
	firstQR chan string
}

// Devices is whatsmeow's device store in the clinic's database (its schema is brought up with the
// migrations).
func Devices(pool *pgxpool.Pool, logger *slog.Logger) *sqlstore.Container {
	return sqlstore.NewWithDB(stdlib.OpenDBFromPool(pool), "postgres", waLogger{logger})
}

// NewService returns the service on the device store devices; name identifies this server in the
// console ("which server holds WhatsApp").
func NewService(devices *sqlstore.Container, store *Store, adapter *Adapter, logger *slog.Logger, name string) *Service {
	return &Service{devices: devices, store: store, adapter: adapter, log: logger, name: name, Tick: time.Second}
}

// Run is the holder's work: it runs until ctx ends (the lock is lost or the server stops), then
// disconnects so that the next holder's client is the only one.
func (s *Service) Run(ctx context.Context) {
	defer s.disconnect()
	// A server that takes the connection (again) tries afresh, whatever stopped it last time.
	s.mu.Lock()
	s.replaced, s.notBefore = false, time.Time{}
	s.mu.Unlock()
	backoff, next := time.Second, time.Time{}
	if err := s.settle(ctx); err != nil {
		s.log.ErrorContext(ctx, "WhatsApp start", "err", err)
	}
	tick := time.NewTicker(s.Tick)
	defer tick.Stop()
	for {
		if err := s.store.Heartbeat(ctx, s.name); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "WhatsApp heartbeat", "err", err)
		}
		if time.Now().After(next) {
			if err := s.connect(ctx); err != nil {
				s.log.WarnContext(ctx, "WhatsApp connect failed; trying again", "in", backoff, "err", err)
				next, backoff = time.Now().Add(backoff), min(2*backoff, 2*time.Minute)
			} else {
				backoff = time.Second
			}
		}
		s.serveRequest(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// settle makes the recorded state match a server with no link yet: a state left by a server that
// stopped is not true of this one.
func (s *Service) settle(ctx context.Context) error {
	dev, err := s.devices.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read the WhatsApp device: %w", err)
	}
	l, err := s.store.Link(ctx)
	if err != nil {
		return err
	}
	if dev.ID != nil {
		return nil
	}
	if l.Account != "" {
		if err := s.store.SetAccount(ctx, ""); err != nil {
			return err
		}
	}
	if l.State != NotLinked && l.State != LoggedOut && l.State != Banned {
		return s.store.SetState(ctx, NotLinked, "")
	}
	return nil
}

// connect starts the client of a linked device that is not connected yet.
func (s *Service) connect(ctx context.Context) error {
	s.mu.Lock()
	// A client that exists reconnects by itself after a drop (whatsmeow backs off); only a missing one
	// is started here.
	busy := s.replaced || s.linking != nil || s.cli != nil || time.Now().Before(s.notBefore)
	s.mu.Unlock()
	if busy {
		return nil
	}
	dev, err := s.devices.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read the WhatsApp device: %w", err)
	}
	if dev.ID == nil {
		return nil
	}
	cli := s.newClient(ctx, dev)
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("connect to WhatsApp: %w", err)
	}
	s.mu.Lock()
	s.cli = cli
	s.mu.Unlock()
	return nil
}

// newClient is a client on dev with acks sent only after the handler stored the message.
func (s *Service) newClient(ctx context.Context, dev *wastore.Device) *whatsmeow.Client {
	cli := whatsmeow.NewClient(dev, waLogger{s.log})
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	cli.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		s.watch(ctx, cli, evt)
		return s.adapter.Event(ctx, evt)
	})
	return cli
}

// disconnect ends this server's client, if any.
func (s *Service) disconnect() {
	s.mu.Lock()
	cli := s.cli
	s.cli = nil
	s.mu.Unlock()
	if cli != nil {
		cli.Disconnect()
	}
}

// SendText sends a text message with the given id through the connected client (Sender).
func (s *Service) SendText(ctx context.Context, to types.JID, id types.MessageID, text string) error {
	s.mu.Lock()
	cli := s.cli
	s.mu.Unlock()
	if cli == nil || !cli.IsLoggedIn() {
		return ErrNotConnected
	}
	_, err := cli.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(text)}, whatsmeow.SendRequestExtra{ID: id})
	if errors.Is(err, whatsmeow.ErrNotConnected) || errors.Is(err, whatsmeow.ErrNotLoggedIn) {
		return fmt.Errorf("%w: %w", ErrNotConnected, err)
	}
	return err
}

// OnWhatsApp asks WhatsApp whether phone (E.164) has an account (NumberChecker).
func (s *Service) OnWhatsApp(ctx context.Context, phone string) (bool, error) {
	s.mu.Lock()
	cli := s.cli
	s.mu.Unlock()
	if cli == nil || !cli.IsLoggedIn() {
		return false, ErrNotConnected
	}
	got, err := cli.IsOnWhatsApp(ctx, []string{phone})
	if err != nil {
		return false, fmt.Errorf("ask WhatsApp whether %s has an account: %w", phone, err)
	}
	if len(got) == 0 {
		return false, fmt.Errorf("ask WhatsApp whether %s has an account: no answer for the number", phone)
	}
	return got[0].IsIn, nil
}

var _ NumberChecker = (*Service)(nil)
