package whatsapp

import (
	"context"
	"fmt"
	"log/slog"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// waLogger writes whatsmeow's own log lines to the server's structured log. Its debug chatter stays at
// debug level; message contents are never logged by it at info level or above.
type waLogger struct{ log *slog.Logger }

func (l waLogger) Warnf(msg string, args ...any)  { l.at(slog.LevelWarn, msg, args) }
func (l waLogger) Errorf(msg string, args ...any) { l.at(slog.LevelError, msg, args) }
func (l waLogger) Infof(msg string, args ...any)  { l.at(slog.LevelInfo, msg, args) }
func (l waLogger) Debugf(msg string, args ...any) { l.at(slog.LevelDebug, msg, args) }

// Sub names a part of the library in the lines it writes.
func (l waLogger) Sub(module string) waLog.Logger {
	return waLogger{l.log.With("whatsmeow", module)}
}

func (l waLogger) at(level slog.Level, msg string, args []any) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	l.log.Log(ctx, level, fmt.Sprintf(msg, args...), "component", "whatsapp")
}
