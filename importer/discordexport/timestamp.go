package discordexport

import (
	"fmt"
	"time"
)

// parseTimestamp reads DiscordChatExporter's ISO 8601 timestamps,
// "2023-01-06T14:22:25.25+00:00", with 0 to 9 (or more, truncated)
// fraction digits and a Z or ±hh:mm offset. A timestamp without an offset
// is read in loc. It is hand-written because it runs once per message.
func parseTimestamp(b []byte, loc *time.Location) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("timestamp %q is not ISO 8601 like 2023-01-06T14:22:25.25+00:00", b)
	}
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return bad()
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[0:4])
	mo, ok2 := num(b[5:7])
	d, ok3 := num(b[8:10])
	h, ok4 := num(b[11:13])
	mi, ok5 := num(b[14:16])
	s, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 60 {
		return bad()
	}
	i := 19
	nsec := 0
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		i++
		digits := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if digits < 9 {
				nsec = nsec*10 + int(b[i]-'0')
				digits++
			}
			i++
		}
		if digits == 0 {
			return bad()
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
	}
	if i == len(b) {
		return time.Date(y, time.Month(mo), d, h, mi, s, nsec, loc), nil
	}
	offset := 0
	switch b[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		rest := b[i+1:]
		var oh, om int
		var ok bool
		switch {
		case len(rest) == 5 && rest[2] == ':':
			oh, ok = num(rest[0:2])
			if ok {
				om, ok = num(rest[3:5])
			}
		case len(rest) == 4:
			oh, ok = num(rest[0:2])
			if ok {
				om, ok = num(rest[2:4])
			}
		case len(rest) == 2:
			oh, ok = num(rest)
		}
		if !ok || oh > 23 || om > 59 {
			return bad()
		}
		offset = oh*3600 + om*60
		if b[i] == '-' {
			offset = -offset
		}
		i = len(b)
	default:
		return bad()
	}
	if i != len(b) {
		return bad()
	}
	unix := daysFromCivil(y, mo, d)*86400 + int64(h*3600+mi*60+s) - int64(offset)
	return time.Unix(unix, int64(nsec)).UTC(), nil
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if leap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
