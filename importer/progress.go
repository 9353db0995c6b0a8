package importer

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Progress counts an import's progress; parsers add to it from any
// goroutine, and Start draws it as a bar on a terminal.
type Progress struct {
	Total    int64        // bytes to read, 0 if unknown
	Bytes    atomic.Int64 // bytes read
	Messages atomic.Int64 // messages read

	stop chan struct{}
	done sync.WaitGroup
}

// Start redraws the bar on w every interval until Stop. Only call it when
// w is a terminal: it uses carriage returns.
func (p *Progress) Start(w io.Writer, interval time.Duration) {
	if p == nil {
		return
	}
	p.stop = make(chan struct{})
	p.done.Add(1)
	start := time.Now()
	go func() {
		defer p.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		last := 0
		for {
			select {
			case <-p.stop:
				fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", last))
				return
			case <-t.C:
				line := p.Line(time.Since(start))
				pad := ""
				if n := last - len([]rune(line)); n > 0 {
					pad = strings.Repeat(" ", n)
				}
				last = len([]rune(line))
				fmt.Fprintf(w, "\r%s%s", line, pad)
			}
		}
	}()
}

// Stop clears the bar.
func (p *Progress) Stop() {
	if p == nil || p.stop == nil {
		return
	}
	close(p.stop)
	p.done.Wait()
	p.stop = nil
}

// Line renders the progress after elapsed: a bar, bytes, messages, rate
// and the time left.
func (p *Progress) Line(elapsed time.Duration) string {
	done, msgs := p.Bytes.Load(), p.Messages.Load()
	secs := elapsed.Seconds()
	rate := ""
	if secs > 0 {
		rate = fmt.Sprintf("  %s msg/s", Count(int64(float64(msgs)/secs)))
	}
	if p.Total <= 0 {
		return fmt.Sprintf("%s  %s messages%s", Bytes(done), Count(msgs), rate)
	}
	frac := min(float64(done)/float64(p.Total), 1)
	const width = 24
	n := int(frac * width)
	bar := strings.Repeat("█", n) + strings.Repeat("░", width-n)
	eta := "--:--"
	if done > 0 && secs > 0 {
		left := time.Duration(float64(p.Total-done) / (float64(done) / secs) * float64(time.Second))
		eta = clock(left)
	}
	return fmt.Sprintf("%s %3.0f%%  %s / %s  %s messages%s  ETA %s", bar, frac*100, Bytes(done), Bytes(p.Total), Count(msgs), rate, eta)
}

func clock(d time.Duration) string {
	s := int64(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
