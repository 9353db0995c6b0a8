// Package discordexport imports DiscordChatExporter exports (JSON, and
// the CSV variant) into Pulse's discord/<guild id> groups.
//
// Each file is one channel (or thread). Files of the same guild are merged
// by time — a k-way merge holding one message per file — so the XP
// cooldown and reply attribution work across channels as they did live.
// Files are streamed: memory stays bounded whatever their size.
//
// What becomes what:
//   - Default and Reply messages (and application command messages) are
//     messages; a message with a reference to a message seen earlier in the
//     import is a reply to that message's author.
//   - GuildMemberJoin messages are joins.
//   - Other system messages (pins, thread creations, boosts, calls, …) are
//     skipped and counted by type.
//   - Reactions that list their users become one reaction per user, at the
//     message's time. Reactions with only a count cannot be attributed and
//     are counted in the summary.
//   - Authors flagged isBot (or listed in Options.Bots) are not members:
//     their messages are counted as skipped and earn nothing.
package discordexport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
)

// Options tune an import.
type Options struct {
	// Group is the group key "discord/<guild id>". Required for CSV files
	// (they carry no guild id); JSON exports must agree with it.
	Group string
	// CSVLocation reads CSV dates that carry no offset; default: the
	// group's zone.
	CSVLocation *time.Location
	// CSVLayout is the Go layout of CSV dates when they are in none of the
	// known formats.
	CSVLayout string
	// Bots are author ids to treat as bots (the CSV has no bot flag).
	Bots []string
	// SkipBad skips malformed records (counted), and the unreadable rest
	// of a damaged file (reported), instead of stopping.
	SkipBad bool
	// Batch is the number of events per transaction; default
	// importer.DefaultBatch.
	Batch int
	// ReplyMemory bounds the message ids remembered for reply
	// attribution; default 1<<20 (about 30 MB).
	ReplyMemory int
	// NoXPChannels are channel ids whose messages count as activity but
	// earn no XP (the Discord adapter's no_xp_channels; a thread inherits
	// its parent's, which DiscordChatExporter writes as the channel's
	// categoryId).
	NoXPChannels []string
	// Before, if set, leaves out everything at or after it: the time Pulse
	// started recording the group live, so no day is counted twice.
	Before time.Time
	// Progress, if set, is advanced as files are read.
	Progress *importer.Progress
}

// Sizes reports the total size of files, for a progress bar.
func Sizes(paths []string) int64 {
	var n int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// Import reads the files and records them through b, one guild after the
// other; it returns one summary per guild, in the order the guilds first
// appear among the files. The files are all opened (and their headers
// read) before anything is recorded, so a missing or foreign file changes
// nothing. On an error, the summaries say what was committed, and the
// error is an *importer.StoppedError when part of the import is kept.
func Import(ctx context.Context, b *bot.Bot, paths []string, o Options) ([]*importer.Summary, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("import discord-export: no files")
	}
	if o.Group != "" {
		if id, ok := strings.CutPrefix(o.Group, "discord/"); !ok || id == "" || strings.Contains(id, "/") {
			return nil, fmt.Errorf("import discord-export: group %q is not discord/<guild id>", o.Group)
		}
	}
	bufSize := min(max((32<<20)/len(paths), 64<<10), 1<<20)
	var files []*file
	defer func() {
		for _, f := range files {
			if !f.closed {
				f.src.close()
			}
		}
	}()
	var order []string
	byGroup := map[string][]*file{}
	notes := map[string][]string{}
	for _, path := range paths {
		f, err := open(path, bufSize, o, b)
		if err != nil {
			var fe *importer.FileError
			if o.SkipBad && errors.As(err, &fe) {
				key := o.Group
				if key == "" {
					key = "?"
				}
				notes[key] = append(notes[key], fmt.Sprintf("%v: file skipped", err))
				continue
			}
			return nil, fmt.Errorf("import discord-export: %w", err)
		}
		files = append(files, f)
		if _, ok := byGroup[f.group]; !ok {
			order = append(order, f.group)
		}
		byGroup[f.group] = append(byGroup[f.group], f)
	}
	var sums []*importer.Summary
	for _, key := range order {
		s, err := importGroup(ctx, b, key, byGroup[key], o)
		s.Notes = append(notes[key], s.Notes...)
		delete(notes, key)
		sums = append(sums, s)
		if err != nil {
			return sums, err
		}
	}
	if len(sums) == 0 {
		return nil, fmt.Errorf("import discord-export: no file could be read: %s", strings.Join(notes[firstKey(notes)], "; "))
	}
	for _, k := range importer.SortedKeys(notes) {
		sums[0].Notes = append(sums[0].Notes, notes[k]...)
	}
	return sums, nil
}

func firstKey(m map[string][]string) string {
	for k := range m {
		return k
	}
	return ""
}

// GuildOf reads the guild id in a JSON export's header ("" if it has
// none); csv reports a CSV export, which carries no guild id.
func GuildOf(path string) (guild string, csv bool, err error) {
	kind, err := sniff(path)
	if err != nil || kind != "json" {
		return "", kind == "csv", err
	}
	j, err := openJSON(path, 64<<10, time.UTC)
	if err != nil {
		return "", false, err
	}
	defer j.close()
	return j.guildID, false, nil
}
