package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// redisLogger sends go-redis's own messages (reconnects, pool trouble, recovered panics) to the
// server's structured log instead of the standard logger's plain lines on stderr.
type redisLogger struct{ log *slog.Logger }

// Printf logs one go-redis message as a warning: the library only speaks when something went wrong.
func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, v...))
	l.log.WarnContext(ctx, strings.TrimPrefix(msg, "redis: "), slog.String("component", "redis"))
}
