package i18n

import (
	"regexp"
	"testing"
)

// Every text exists in both languages and takes the same arguments.
func TestCatalogComplete(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[dsvq]`)
	for key, m := range catalog {
		// Chinese needs no preposition in "给 X 加了": the only empty text.
		if (m.zh == "" && key != "grant.prep.+" && key != "grant.prep.-") || m.en == "" {
			t.Errorf("%s: missing a language", key)
		}
		if len(verb.FindAllString(m.zh, -1)) == 0 != (len(verb.FindAllString(m.en, -1)) == 0) {
			t.Errorf("%s: zh and en take different arguments", key)
		}
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int64]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd", 111: "111th"} {
		if got := Ordinal(En, n); got != want {
			t.Errorf("Ordinal(%d) = %s, want %s", n, got, want)
		}
	}
	if Ordinal(Zh, 3) != "第3个" {
		t.Error(Ordinal(Zh, 3))
	}
}
