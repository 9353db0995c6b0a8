package config

// DefaultDigestSchedule is Monday 09:00 in the group's time zone.
const DefaultDigestSchedule = "0 9 * * 1"

// DigestConfig schedules a group's weekly digest.
type DigestConfig struct {
	// Enabled posts the weekly digest in the group and sends the owners
	// theirs. Default true.
	Enabled bool `yaml:"enabled"`
	// Schedule is a cron schedule (minute hour day-of-month month
	// day-of-week) in the group's time zone. Default "0 9 * * 1".
	Schedule string `yaml:"schedule"`
	// Font is a CJK font file for Chinese chart labels; empty searches the
	// usual system places, and English labels are used when none is found.
	Font string `yaml:"font"`
}
