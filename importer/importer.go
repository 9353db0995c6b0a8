// Package importer brings a community's history into Pulse: chat exports
// become past events recorded through the core's history path
// (bot.Bot.Ingest), so that activity aggregates, XP and levels come out as
// if Pulse had been there; leaderboards of other bots set XP directly.
//
// The formats live in subpackages: discordexport (DiscordChatExporter JSON
// and CSV), mee6 (MEE6 leaderboard pages) and wechatcsv (WeChatMsg/留痕 CSV).
// This package holds what they share: the parse→ingest pipeline, progress,
// positions in files, and the summary an operator reads at the end.
//
// Imports commit in batches. Every imported event carries the platform's
// id (or one derived stably from the record), and the core keeps imported
// ids for good, so re-running an import, or importing an overlapping
// export, records nothing twice: an import that stopped half-way resumes
// by running it again.
package importer

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultBatch is the number of events per Ingest call (one transaction).
const DefaultBatch = 10000

// FileError is a problem with an input file at a position.
type FileError struct {
	File   string
	Line   int64 // 1-based line (or CSV record line); 0 if unknown
	Offset int64 // byte offset; -1 if unknown
	Msg    string
	// Record is set when only one record is bad and the rest of the file
	// can still be read: -skip-bad skips such records and counts them.
	Record bool
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Line > 0 && e.Offset >= 0:
		fmt.Fprintf(&b, ": line %d (byte %d)", e.Line, e.Offset)
	case e.Line > 0:
		fmt.Fprintf(&b, ": line %d", e.Line)
	case e.Offset >= 0:
		fmt.Fprintf(&b, ": byte %d", e.Offset)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Where is the error's position for a summary line.
func (e *FileError) Where() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	case e.Offset >= 0:
		return fmt.Sprintf("%s@%d", e.File, e.Offset)
	}
	return e.File
}

// SortedKeys returns a map's keys in order, for stable output.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
