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
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
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

// source is one open file.
type source interface {
	next() (*message, error)
	consumed() int64
	close() error
}

type file struct {
	path   string
	size   int64
	src    source
	json   *jsonFile // nil for CSV
	group  string
	noXP   bool  // the channel earns no XP
	last   int64 // consumed bytes already counted in progress
	prevT  int64 // time of the previous message, for the order check
	back   int64 // messages earlier than the one before them
	closed bool
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

// open opens a file of either kind and works out its group.
func open(path string, bufSize int, o Options, b *bot.Bot) (*file, error) {
	kind, err := sniff(path)
	if err != nil {
		return nil, err
	}
	f := &file{path: path}
	if kind == "csv" {
		if o.Group == "" {
			return nil, &importer.FileError{File: path, Offset: -1, Msg: "a CSV export carries no guild id: pass -group discord/<guild id>"}
		}
		loc := o.CSVLocation
		if loc == nil {
			loc = b.Group(o.Group).Location
		}
		c, err := openCSV(path, loc, o.CSVLayout)
		if err != nil {
			return nil, err
		}
		f.src, f.size, f.group = c, c.Size, o.Group
		return f, nil
	}
	j, err := openJSON(path, bufSize, time.UTC)
	if err != nil {
		return nil, err
	}
	f.src, f.json, f.size = j, j, j.size
	switch {
	case j.guildID != "" && o.Group != "" && "discord/"+j.guildID != o.Group:
		j.close()
		return nil, &importer.FileError{File: path, Offset: -1, Msg: fmt.Sprintf("the export is of guild %s (%s), not %s", j.guildID, j.guildName, o.Group)}
	case j.guildID != "":
		f.group = "discord/" + j.guildID
	case o.Group != "":
		f.group = o.Group
	default:
		j.close()
		return nil, &importer.FileError{File: path, Offset: -1, Msg: "no guild id before the messages: pass -group discord/<guild id>"}
	}
	return f, nil
}

// sniff tells JSON from CSV by the first byte that is not white space.
func sniff(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		if err == io.EOF {
			return "", &importer.FileError{File: path, Offset: 0, Msg: "empty file"}
		}
		return "", err
	}
	b := bytes.TrimPrefix(buf[:n], []byte{0xEF, 0xBB, 0xBF})
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return "", &importer.FileError{File: path, Offset: 0, Msg: "empty file"}
	}
	if b[0] == '{' {
		return "json", nil
	}
	return "csv", nil
}

// conv turns messages into events for one group.
type conv struct {
	group    string
	guildID  string
	before   time.Time
	loc      *time.Location
	sum      *importer.Summary
	emit     importer.Emit
	bots     map[string]bool
	authors  map[string]int32
	members  []bot.Member
	active   []bool // has a counted message
	replies  *replyMap
	days     importer.Days
	keybuf   []byte
	progress *importer.Progress
}

// member interns a user, keeping their latest display name.
func (c *conv) member(u *user) int32 {
	if i, ok := c.authors[string(u.id)]; ok {
		m := &c.members[i]
		if name := u.display(); len(name) > 0 && string(name) != m.Name {
			m.Name = string(name)
		}
		if u.isBot {
			m.IsBot = true
		}
		return i
	}
	id := string(u.id)
	m := bot.Member{ID: id, Name: string(u.display()), IsBot: u.isBot || c.bots[id]}
	if m.Name == "" {
		m.Name = id
	}
	i := int32(len(c.members))
	c.members = append(c.members, m)
	c.active = append(c.active, false)
	c.authors[id] = i
	return i
}

// Message kinds by DiscordChatExporter's type names (or numbers, which it
// writes for kinds it does not know). As the live adapter does, only
// ordinary messages and replies count as messages.
func kindOf(typ []byte) bot.Kind {
	switch string(typ) {
	case "Default", "Reply", "0", "19":
		return bot.KindMessage
	case "GuildMemberJoin", "7":
		return bot.KindJoin
	}
	return 0
}

// add turns one message into events.
func (c *conv) add(f *file, m *message) error {
	where := func() string {
		if m.line > 0 {
			return fmt.Sprintf("%s:%d", f.path, m.line)
		}
		return fmt.Sprintf("%s, byte %d", f.path, m.off)
	}
	ai := c.member(&m.author)
	author := c.members[ai]
	// Every message can be replied to, system ones too (a wave at a join).
	c.replies.put(replyKey(m), ai)
	if !c.before.IsZero() && !m.t.Before(c.before) {
		c.sum.Skipped.Add("records at or after -before (Pulse recorded that time live)", 1, where)
		return nil
	}
	kind := kindOf(m.typ)
	if kind == 0 {
		c.sum.Skipped.Add("system messages of type "+string(m.typ), 1, where)
		return nil
	}
	if author.IsBot {
		c.sum.Skipped.Add("messages and joins by bots (not members, never counted)", 1, where)
		return nil
	}
	id := string(m.id)
	if kind == bot.KindJoin {
		c.sum.Joins++
		return c.emit(bot.Event{Kind: bot.KindJoin, Group: c.group, ID: id, Member: author, Time: m.t})
	}
	if len(m.content) == 0 && f.json == nil && !m.attached {
		c.sum.Skipped.Add("empty CSV rows (joins, pins and other notices, or sticker-only messages: the CSV does not say which)", 1, where)
		return nil
	}
	ev := bot.Event{Kind: bot.KindMessage, Group: c.group, ID: id, Member: author, Time: m.t, Text: string(m.content), NoXP: f.noXP}
	if m.hasRef && len(m.refID) > 0 && (len(m.refGuild) == 0 || string(m.refGuild) == c.guildID) {
		if ri, ok := c.replies.get(snowflake(m.refID), m.refID); ok {
			ev.ReplyTo = c.members[ri]
		} else {
			c.sum.Skipped.Add("reply attributions to messages not in the import (counted as plain messages)", 1, where)
		}
	}
	if len(m.mentions) > 0 {
		ev.Mentions = make([]bot.Member, 0, len(m.mentions))
		for k := range m.mentions {
			u := &m.mentions[k]
			if len(u.id) == 0 {
				continue
			}
			who := c.members[c.member(u)]
			if who.ID == ev.ReplyTo.ID && !mentionsByName(m.content, u, who.Name) {
				// A reply lists its author among the mentions when it
				// pings them: that is the reply, not a mention (as live).
				continue
			}
			ev.Mentions = append(ev.Mentions, who)
		}
	}
	c.sum.Messages++
	if c.progress != nil {
		c.progress.Messages.Add(1)
	}
	if !c.active[ai] {
		c.active[ai] = true
		c.sum.Members++
	}
	c.days.Count(c.sum, m.t)
	if err := c.emit(ev); err != nil {
		return err
	}
	if m.csvReact > 0 {
		c.sum.Skipped.Add("reactions without users (the export has counts only: not attributable)", m.csvReact, where)
	}
	for k := range m.reactions {
		r := &m.reactions[k]
		emoji := r.emojiID
		if len(emoji) == 0 || string(emoji) == "0" {
			emoji = r.emojiName
		}
		if !r.hasUsers {
			c.sum.Skipped.Add("reactions without users (the export has counts only: not attributable)", max(r.count, 1), where)
			continue
		}
		if extra := r.count - int64(len(r.users)); extra > 0 {
			c.sum.Skipped.Add("reactions without users (the export has counts only: not attributable)", extra, where)
		}
		for u := range r.users {
			ru := &r.users[u]
			if len(ru.id) == 0 {
				continue
			}
			who := c.members[c.member(ru)]
			key := append(c.keybuf[:0], m.id...)
			key = append(key, '/')
			key = append(key, emoji...)
			key = append(key, '/')
			key = append(key, ru.id...)
			c.keybuf = key
			c.sum.Reactions++
			if err := c.emit(bot.Event{Kind: bot.KindReaction, Group: c.group, ID: string(key), Member: who, Target: author, MessageID: id, Time: m.t}); err != nil {
				return err
			}
		}
	}
	return nil
}

// mentionsByName reports whether content mentions u in the words
// DiscordChatExporter writes a mention as ("@display name").
func mentionsByName(content []byte, u *user, known string) bool {
	for _, name := range [][]byte{u.nickname, u.name, []byte(known)} {
		if len(name) > 0 && bytes.Contains(content, append([]byte{'@'}, name...)) {
			return true
		}
	}
	return false
}

func replyKey(m *message) uint64 {
	if m.snow != 0 {
		return m.snow
	}
	return hashID(m.id)
}

func hashID(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64() | 1<<63
}

// replyMap remembers which member wrote the most recent messages, for
// reply attribution; beyond its limit it forgets the oldest.
type replyMap struct {
	m     map[uint64]int32
	ring  []uint64 // keys in the order they were put
	next  int      // the oldest key once the ring is full
	limit int
}

func newReplyMap(limit int) *replyMap {
	return &replyMap{m: make(map[uint64]int32, min(limit, 1<<16)), limit: limit}
}

func (r *replyMap) put(k uint64, author int32) {
	if len(r.ring) < r.limit {
		r.ring = append(r.ring, k)
	} else {
		if old := r.ring[r.next]; old != k {
			delete(r.m, old)
		}
		r.ring[r.next] = k
		r.next = (r.next + 1) % r.limit
	}
	r.m[k] = author
}

func (r *replyMap) get(snow uint64, id []byte) (int32, bool) {
	k := snow
	if k == 0 {
		k = hashID(id)
	}
	a, ok := r.m[k]
	return a, ok
}

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
