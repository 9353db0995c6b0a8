package discordexport

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
)

// importGroup merges one guild's files by time and records them.
func importGroup(ctx context.Context, b *bot.Bot, key string, files []*file, o Options) (*importer.Summary, error) {
	start := time.Now()
	gs := b.Group(key)
	s := &importer.Summary{Format: "discord-export", Group: key, Files: len(files), Location: gs.Location}
	bots := map[string]bool{}
	for _, id := range o.Bots {
		bots[id] = true
	}
	c := &conv{
		group: key, guildID: strings.TrimPrefix(key, "discord/"), before: o.Before, loc: gs.Location, sum: s, bots: bots,
		authors: map[string]int32{}, days: importer.Days{Loc: gs.Location},
		progress: o.Progress,
	}
	if o.ReplyMemory <= 0 {
		o.ReplyMemory = 1 << 20
	}
	noXP := map[string]bool{}
	for _, id := range o.NoXPChannels {
		noXP[id] = true
	}
	for _, f := range files {
		switch {
		case f.json != nil:
			f.noXP = noXP[f.json.channelID] || noXP[f.json.parentID]
		default:
			f.noXP = noXP[f.src.(*csvFile).channel]
		}
	}
	c.replies = newReplyMap(o.ReplyMemory)

	next := func(i int) (*message, error) {
		f := files[i]
		for !f.closed {
			m, err := f.src.next()
			if o.Progress != nil {
				n := f.src.consumed()
				o.Progress.Bytes.Add(n - f.last)
				f.last = n
			}
			if err == nil && m != nil {
				if u := m.t.UnixNano(); u < f.prevT {
					f.back++
				} else {
					f.prevT = u
				}
				return m, nil
			}
			if err == nil { // the end of the file
				s.Bytes += f.size
				f.closed = true
				f.src.close()
				if f.back > 0 {
					s.Notef("%s: %s message(s) were earlier than the message before them (not oldest-first?): they were recorded later than their time, so their XP cooldown may differ from live", f.path, importer.Count(f.back))
				}
				return nil, nil
			}
			var fe *importer.FileError
			if !errors.As(err, &fe) || !o.SkipBad {
				return nil, err
			}
			if fe.Record {
				s.Skipped.Add("malformed records", 1, fe.Where)
				continue
			}
			// The rest of this file cannot be read.
			s.Bytes += f.src.consumed()
			f.closed = true
			f.src.close()
			s.Notef("%v: the rest of this file (from there on) was skipped; what came before it is imported", err)
			return nil, nil
		}
		return nil, nil
	}
	less := func(a, b *message) bool {
		if !a.t.Equal(b.t) {
			return a.t.Before(b.t)
		}
		return a.snow < b.snow
	}
	tot, err := importer.Run(ctx, b, o.Batch, func(ctx context.Context, emit importer.Emit) error {
		c.emit = emit
		return importer.Merge(len(files), next, less, func(i int, m *message) error {
			return c.add(files[i], m)
		})
	})
	tot.Add(s)
	s.Elapsed = time.Since(start)
	if err != nil {
		for _, f := range files {
			if !f.closed {
				s.Bytes += f.src.consumed()
			}
		}
		return s, importer.Stopped(err, tot)
	}
	return s, nil
}
