package digest

import (
	"testing"

	"github.com/pulsebot/pulse/bot/metrics"
)

func BenchmarkChart(b *testing.B) {
	days := make([]metrics.Day, 56)
	for i := range days {
		days[i] = metrics.Day{Date: "2026-01-01", Active: int64(50 + i%7*3), Messages: int64(300 + i%5*40)}
	}
	for i := 0; i < b.N; i++ {
		if _, err := Chart(days, "en", "", "", ""); err != nil {
			b.Fatal(err)
		}
	}
}
