package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/pulsebot/pulse/bot"
)

// Totals is what Run committed.
type Totals struct {
	bot.IngestResult
	Batches   int
	Committed int64 // events in committed batches (recorded + duplicates + invalid)
	Messages  int64 // message events in committed batches
}

// Add sums the totals into a summary.
func (t Totals) Add(s *Summary) {
	s.Recorded += int64(t.Recorded)
	s.Duplicates += int64(t.Duplicates)
	s.Invalid += int64(t.Invalid)
	s.Batches += t.Batches
}

// Emit hands one event to the pipeline. It fails when the import stops
// (the context ends, or a batch could not be committed).
type Emit func(ev bot.Event) error

// ErrStopped is returned by Emit once the ingest side has stopped.
var ErrStopped = errors.New("import stopped")

// Run records what produce emits through b.Ingest in batches of size
// events, parsing (produce, on its own goroutine) and committing (on the
// caller's) at the same time. Batches are committed in order, each in one
// transaction, and every committed batch is durable. When produce fails,
// what it emitted before the failure is committed first; the error is
// returned with the totals of what was committed, so the caller can say
// exactly what is on disk. A cancelled ctx stops after the batch being
// committed.
func Run(ctx context.Context, b *bot.Bot, size int, produce func(ctx context.Context, emit Emit) error) (Totals, error) {
	if size <= 0 {
		size = DefaultBatch
	}
	var tot Totals
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan []bot.Event, 1)
	free := make(chan []bot.Event, 3)
	for range 3 {
		free <- make([]bot.Event, 0, size)
	}
	var perr error
	go func() {
		defer close(full)
		var cur []bot.Event
		select {
		case cur = <-free:
		case <-pctx.Done():
			perr = pctx.Err()
			return
		}
		send := func() error {
			select {
			case full <- cur:
			case <-pctx.Done():
				return ErrStopped
			}
			select {
			case cur = <-free:
			case <-pctx.Done():
				return ErrStopped
			}
			return nil
		}
		perr = produce(pctx, func(ev bot.Event) error {
			cur = append(cur, ev)
			if len(cur) >= size {
				return send()
			}
			return nil
		})
		if len(cur) > 0 && pctx.Err() == nil {
			if err := send(); err != nil && perr == nil {
				perr = err
			}
		}
	}()
	var ierr error
	for evs := range full {
		if ierr != nil || ctx.Err() != nil {
			continue // drain: the producer is being stopped
		}
		// The batch is committed whole even if ctx ends meanwhile, so the
		// totals say exactly what is on disk.
		res, err := b.Ingest(context.WithoutCancel(ctx), evs)
		if err != nil {
			ierr = fmt.Errorf("commit batch %d: %w", tot.Batches+1, err)
			cancel()
			continue
		}
		tot.Batches++
		tot.Recorded += res.Recorded
		tot.Duplicates += res.Duplicates
		tot.Invalid += res.Invalid
		tot.Committed += int64(len(evs))
		for i := range evs {
			if evs[i].Kind == bot.KindMessage {
				tot.Messages++
			}
		}
		clear(evs) // drop references so the strings can be collected
		free <- evs[:0]
		if ctx.Err() != nil {
			cancel()
		}
	}
	switch {
	case ierr != nil:
		return tot, ierr
	case ctx.Err() != nil:
		return tot, fmt.Errorf("interrupted: %w", ctx.Err())
	case perr != nil && !errors.Is(perr, ErrStopped):
		return tot, perr
	}
	return tot, nil
}

// StoppedError explains an import that stopped before its end: what is
// committed, and that running the same command again resumes safely.
type StoppedError struct {
	Err       error
	Committed int64 // events committed by this run
	Messages  int64 // of which messages
	Batches   int
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("%v\nimport stopped: %s events (%s messages) in %d batch(es) were committed before the stop and are kept; nothing after them was recorded. Running the same command again resumes safely: what is already imported is skipped as duplicates",
		e.Err, Count(e.Committed), Count(e.Messages), e.Batches)
}

func (e *StoppedError) Unwrap() error { return e.Err }

// Stopped wraps a Run error with what was committed.
func Stopped(err error, t Totals) error {
	if err == nil {
		return nil
	}
	return &StoppedError{Err: err, Committed: t.Committed, Messages: t.Messages, Batches: t.Batches}
}
