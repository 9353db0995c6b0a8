package i18n

// Texts built from a number: ordinals, plurals, progress bars.

import (
	"fmt"
	"strings"
)

// Ordinal renders "3rd" / "第3个".
func Ordinal(locale string, n int64) string {
	if locale == Zh {
		return fmt.Sprintf("第%d个", n)
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// Days renders a number of days: "1 day", "3 days", "3 天".
func Days(locale string, n int64) string {
	switch {
	case locale == Zh:
		return fmt.Sprintf("%d 天", n)
	case n == 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Points renders an amount of points: "1 point", "5 points", "5 积分".
func Points(locale string, n int64) string {
	switch {
	case locale == Zh:
		return fmt.Sprintf("%d 积分", n)
	case n == 1 || n == -1:
		return fmt.Sprintf("%d point", n)
	}
	return fmt.Sprintf("%d points", n)
}

// Bar draws a text progress bar of width cells.
func Bar(into, span int64, width int) string {
	if span <= 0 {
		return strings.Repeat("▓", width)
	}
	full := int(into * int64(width) / span)
	if full > width {
		full = width
	}
	if full < 0 {
		full = 0
	}
	return strings.Repeat("▓", full) + strings.Repeat("░", width-full)
}
