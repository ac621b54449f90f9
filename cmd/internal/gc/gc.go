// Package gc sets how often the servers' garbage collector runs.
package gc

import (
	"os"
	"runtime/debug"
)

// Percent is the servers' GOGC: a collection starts when the heap has grown to five times what was
// live after the last one, instead of Go's default of twice. The server's live heap is small and
// steady (tens of megabytes) while it allocates quickly under load, so this spends far less CPU on
// collections, which at Go's default took about a tenth of the CPU a Telegram update costs in the
// process, for a little more memory.
const Percent = 400

// Tune applies Percent, unless GOGC is set in the environment.
func Tune() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
}
