package ledger_test

import (
	"testing"

	"github.com/pulsebot/pulse/bot/ledger"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"10", 10, true},
		{"+10", 10, true},
		{"-5", -5, true},
		{"1000000", 1_000_000, true},
		{"1000001", 0, false},
		{"-1000001", 0, false},
		{"0", 0, false},
		{"W", 0, false},
		{"", 0, false},
		{"1.5", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ledger.ParseAmount(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
