// Package width folds the full-width forms that Chinese input methods type
// (２０２６－１１－２２, ５０, ４０％, ／) into their ASCII forms, so that every
// parser of numbers, dates and commands reads what members really type.
package width

import (
	"strings"
	"unicode/utf8"
)

// Fold returns s with full-width ASCII variants (U+FF01–U+FF5E) replaced by
// ASCII and the ideographic space by a space. Other text is kept as is.
func Fold(s string) string {
	if !needsFold(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if foldRune(r) != r {
					return true
				}
			}
			return false
		}
	}
	return false
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	case r == 0x3000:
		return ' '
	}
	return r
}
