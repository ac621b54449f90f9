// Command clinicd is the clinic server and its administration tool.
//
//	clinicd serve                               migrate, then serve HTTP until SIGINT/SIGTERM
//	clinicd migrate                             apply pending migrations
//	clinicd seed                                load the demo clinic (once)
//	clinicd token create --role ROLE [--name N] print a new API token
//	clinicd user create --email E --role ROLE [--password P]  add a console user (password on stdin if omitted)
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // branch time zones must resolve on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "clinicd:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  clinicd serve
  clinicd migrate
  clinicd seed
  clinicd token create --role owner|manager|doctor|receptionist [--name NAME]
  clinicd user create --email EMAIL --role ROLE [--password PASSWORD]`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no command\n%s", usage)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	logger := newLogger(cfg.LogLevel)
	switch cmd := args[0]; {
	case cmd == "serve":
		return serve(ctx, cfg, logger)
	case cmd == "migrate":
		return migrate(ctx, cfg, logger)
	case cmd == "seed":
		return seed(ctx, cfg, logger)
	case cmd == "token" && len(args) > 1 && args[1] == "create":
		return tokenCreate(ctx, cfg, args[2:])
	case cmd == "user" && len(args) > 1 && args[1] == "create":
		return userCreate(ctx, cfg, args[2:])
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Println(usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
