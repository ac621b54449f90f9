package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// The periodic jobs. Each is unique for its period, so servers elected leader in turn never queue
// one twice, and runs on the chores queue so that it never waits behind deliveries.
type (
	reminderArgs struct{}
	turnNearArgs struct{}
	expireArgs   struct{}
)

// Kind names the job in the queue.
func (reminderArgs) Kind() string { return "outbox_reminders" }

// Kind names the job in the queue.
func (turnNearArgs) Kind() string { return "outbox_turn_near" }

// Kind names the job in the queue.
func (expireArgs) Kind() string { return "inbox_expire" }

type reminderWorker struct {
	river.WorkerDefaults[reminderArgs]
	o *Outbox
}

// Work sends the reminders that are due.
func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[reminderArgs]) error {
	return w.o.Remind(ctx)
}

type turnNearWorker struct {
	river.WorkerDefaults[turnNearArgs]
	o *Outbox
}

// Work looks at today's queues for patients whose turn is near.
func (w *turnNearWorker) Work(ctx context.Context, _ *river.Job[turnNearArgs]) error {
	return w.o.turnNearSweep(ctx)
}

type expireWorker struct {
	river.WorkerDefaults[expireArgs]
	o *Outbox
}

// Work expires the booking requests nobody acted on in time.
func (w *expireWorker) Work(ctx context.Context, _ *river.Job[expireArgs]) error {
	if w.o.cfg.Expire != nil {
		return w.o.cfg.Expire(ctx)
	}
	store, _ := w.o.inbox()
	n, err := store.Expire(ctx)
	if err != nil {
		return fmt.Errorf("outbox: expire requests: %w", err)
	}
	if n > 0 {
		w.o.log.InfoContext(ctx, "outbox: requests expired", "count", n)
	}
	return nil
}

// periodicJobs are the outbox's scheduled chores: reminders and the turn-near sweep every
// ReminderEvery, request expiry every ExpireEvery; all run once when a leader starts.
func (o *Outbox) periodicJobs() []*river.PeriodicJob {
	every := func(d time.Duration, args river.JobArgs, id string) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(d), func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{Queue: chores, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: d}}
		}, &river.PeriodicJobOpts{ID: id, RunOnStart: true})
	}
	return []*river.PeriodicJob{
		every(o.cfg.ReminderEvery, reminderArgs{}, "outbox_reminders"),
		every(o.cfg.ReminderEvery, turnNearArgs{}, "outbox_turn_near"),
		every(o.cfg.ExpireEvery, expireArgs{}, "inbox_expire"),
	}
}
