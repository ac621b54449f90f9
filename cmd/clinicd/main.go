// Command clinicd is the clinic server and its administration tool.
//
//	clinicd serve                      migrate, then serve HTTP until SIGINT/SIGTERM
//	clinicd migrate                    apply pending migrations
//	clinicd seed                       load the demo clinic (once)
//	clinicd token create --role ROLE [--name N] [--doctor ID]
//	                                   print a new API token; a doctor's token names its doctor
//	clinicd token list                 one line per token: id, name, role, doctor, created, status
//	clinicd token revoke ID            the token stops working
//	clinicd token check                succeed only if the token on standard input authenticates
//	clinicd user create --email E --role ROLE [--doctor ID] [--password P]
//	                                   add a console user (password on stdin if omitted)
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // branch time zones must resolve on machines without a zoneinfo database

	"github.com/redis/go-redis/v9"

	"clinic/scheduling"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "clinicd:", message(err))
		os.Exit(1)
	}
}

// message is what a person reads when a command fails: a domain error's own message, without its code.
func message(err error) string {
	var e *scheduling.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

const usage = `usage:
  clinicd serve
  clinicd migrate
  clinicd seed
  clinicd token create --role owner|manager|doctor|receptionist [--name NAME] [--doctor DOCTOR_ID]
  clinicd token list
  clinicd token revoke TOKEN_ID
  clinicd token check < TOKEN_FILE
  clinicd user create --email EMAIL --role ROLE [--doctor DOCTOR_ID] [--password PASSWORD]
  clinicd whatsapp link [--phone +E164]
--doctor is required with --role doctor and refused with any other role.`

// commands are the sub-commands that take a second word ("token create").
var commands = map[string]func(context.Context, Config, []string) error{
	"token create": tokenCreate,
	"token list":   tokenList,
	"token revoke": tokenRevoke,
	"token check":  tokenCheck,
	"user create":  userCreate,
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no command\n%s", usage)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	logger := newLogger(cfg.LogLevel)
	redis.SetLogger(redisLogger{logger})
	switch cmd := args[0]; cmd {
	case "serve":
		return serve(ctx, cfg, logger)
	case "migrate":
		return migrate(ctx, cfg, logger)
	case "seed":
		return seed(ctx, cfg, logger)
	case "help", "-h", "--help":
		fmt.Println(usage)
		return nil
	case "token", "user", "whatsapp":
		if len(args) == 1 {
			return fmt.Errorf("%s needs a sub-command\n%s", cmd, usage)
		}
		if f, ok := commands[cmd+" "+args[1]]; ok {
			return f(ctx, cfg, args[2:])
		}
		return fmt.Errorf("unknown command %q\n%s", cmd+" "+args[1], usage)
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// redisLogger sends go-redis's own messages (reconnects, pool trouble, recovered panics) to the
// server's structured log instead of the standard logger's plain lines on stderr.
type redisLogger struct{ log *slog.Logger }

// Printf logs one go-redis message as a warning: the library only speaks when something went wrong.
func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, v...))
	l.log.WarnContext(ctx, strings.TrimPrefix(msg, "redis: "), slog.String("component", "redis"))
}
