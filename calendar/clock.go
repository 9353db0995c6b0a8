package calendar

import "time"

// Clock is the only source of time for the core, the adapters and the
// scheduler, so that tests can fix it.
type Clock interface{ Now() time.Time }

// System reads the wall clock.
type System struct{}

func (System) Now() time.Time { return time.Now() }

// Fixed is a clock that always reads the same instant.
type Fixed time.Time

func (c Fixed) Now() time.Time { return time.Time(c) }

// Func adapts a function to a Clock.
type Func func() time.Time

func (f Func) Now() time.Time { return f() }
