// Package wechatcsv imports WeChat group history exported as CSV by
// WeChatMsg (留痕) into a wechat/NAME group.
//
// The CSV's header is
//
//	localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
//
// (columns are found by name). Type 1 is text; type 49 with SubType 57 is
// a quote-reply whose XML names the quoted member
// (<refermsg><displayname>); type 10000 is a system line, of which joins
// ("张三"邀请"李四、王五"加入了群聊, "李四"通过扫描"张三"分享的二维码加入群聊,
// and their English forms) become joins and removals by the exporting
// account (你将"X"移出了群聊) become leaves; other types (images, voice,
// stickers, links, files) are messages without text. CreateTime is unix
// seconds.
//
// Members are linked by nickname through an importer.WeChatIdentities,
// the WeChat adapter's identity store, so imported and live activity land
// on the same members.
package wechatcsv

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
)

// Options tune an import.
type Options struct {
	// Group is the group's name; the key is wechat/Group.
	Group string
	// Identities links nicknames to member ids; default
	// importer.NicknameIdentities (the nickname is the id).
	Identities importer.WeChatIdentities
	// Me is the exporting account's nickname, for system lines that say
	// 你 (you); by default it is learned from the account's own messages.
	Me string
	// Location reads StrTime when CreateTime is missing; default: the
	// group's zone.
	Location *time.Location
	// Before, if set, leaves out everything at or after it: the time Pulse
	// started recording the group live, so no day is counted twice.
	Before   time.Time
	SkipBad  bool
	Batch    int
	Progress *importer.Progress
}

// Key returns the group key for a group name (a "wechat/" prefix is kept).
func Key(name string) string {
	if strings.HasPrefix(name, "wechat/") {
		return name
	}
	return "wechat/" + name
}

// row is one CSV record.
type row struct {
	typ, sub  int
	isSender  bool
	t         time.Time
	content   string
	nick      string
	sender    string
	line      int64
	recordNum int
}

type file struct {
	*importer.CSV
	loc    *time.Location
	n      int
	r      row
	last   int64
	closed bool
}

func open(path string, loc *time.Location) (*file, error) {
	base, err := importer.OpenCSV(path)
	if err != nil {
		return nil, err
	}
	w := &file{CSV: base, loc: loc}
	for _, want := range []string{"type", "createtime", "strcontent"} {
		if _, ok := w.Cols[want]; !ok {
			w.Close()
			return nil, &importer.FileError{File: path, Line: 1, Offset: -1,
				Msg: fmt.Sprintf("no %s column: not a WeChatMsg (留痕) CSV export (want localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender)", want)}
		}
	}
	_, nick := w.Cols["nickname"]
	_, sender := w.Cols["sender"]
	if !nick && !sender {
		w.Close()
		return nil, &importer.FileError{File: path, Line: 1, Offset: -1,
			Msg: "no NickName or Sender column: the export does not say who sent each message (export the group chat with a WeChatMsg version that writes Remark,NickName,Sender)"}
	}
	return w, nil
}

// next returns the next row, nil at the end; errors with Record set
// concern that row only.
func (w *file) next() (*row, error) {
	rec, err := w.R.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, w.Err(err)
	}
	w.n++
	line, _ := w.R.FieldPos(0)
	r := &w.r
	*r = row{line: int64(line), recordNum: w.n}
	bad := func(format string, args ...any) error {
		return &importer.FileError{File: w.Path, Line: r.line, Offset: -1, Msg: fmt.Sprintf("record %d: ", w.n) + fmt.Sprintf(format, args...), Record: true}
	}
	if len(rec) < len(w.Cols) {
		return nil, bad("%d fields, want %d", len(rec), len(w.Cols))
	}
	if r.typ, err = strconv.Atoi(strings.TrimSpace(w.Field(rec, "type"))); err != nil {
		return nil, bad("Type %q is not a number", w.Field(rec, "type"))
	}
	if s := strings.TrimSpace(w.Field(rec, "subtype")); s != "" {
		r.sub, _ = strconv.Atoi(s)
	}
	r.isSender = strings.TrimSpace(w.Field(rec, "issender")) == "1"
	ct := strings.TrimSpace(w.Field(rec, "createtime"))
	if n, err := strconv.ParseInt(ct, 10, 64); err == nil && n > 0 {
		if n > 1e11 { // milliseconds
			r.t = time.UnixMilli(n).UTC()
		} else {
			r.t = time.Unix(n, 0).UTC()
		}
	} else if st := strings.TrimSpace(w.Field(rec, "strtime")); st != "" {
		t, err := time.ParseInLocation(time.DateTime, st, w.loc)
		if err != nil {
			return nil, bad("CreateTime %q is not unix seconds and StrTime %q is not like 2006-01-02 15:04:05", ct, st)
		}
		r.t = t
	} else {
		return nil, bad("CreateTime %q is not unix seconds", ct)
	}
	r.content = w.Field(rec, "strcontent")
	r.nick = strings.TrimSpace(w.Field(rec, "nickname"))
	r.sender = strings.TrimSpace(w.Field(rec, "sender"))
	return r, nil
}

// Import reads the files (merged by time) and records them through b.
// On an error the summary says what was committed; the error is an
// *importer.StoppedError when part of the import is kept.
func Import(ctx context.Context, b *bot.Bot, paths []string, o Options) (*importer.Summary, error) {
	start := time.Now()
	if strings.TrimSpace(strings.TrimPrefix(o.Group, "wechat/")) == "" {
		return nil, fmt.Errorf("import wechat-csv: no group name")
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("import wechat-csv: no files")
	}
	key := Key(o.Group)
	gs := b.Group(key)
	if o.Location == nil {
		o.Location = gs.Location
	}
	if o.Identities == nil {
		o.Identities = importer.NicknameIdentities{}
	}
	s := &importer.Summary{Format: "wechat-csv", Group: key, Location: gs.Location}
	var files []*file
	defer func() {
		for _, f := range files {
			if !f.closed {
				f.F.Close()
			}
		}
	}()
	for _, p := range paths {
		f, err := open(p, o.Location)
		if err != nil {
			var fe *importer.FileError
			if o.SkipBad && errors.As(err, &fe) {
				s.Notef("%v: file skipped", err)
				continue
			}
			return nil, fmt.Errorf("import wechat-csv: %w", err)
		}
		files = append(files, f)
	}
	s.Files = len(files)
	if len(files) == 0 {
		return s, fmt.Errorf("import wechat-csv: no file could be read")
	}
	c := &conv{ctx: ctx, group: key, o: o, sum: s, ids: map[string]string{}, known: map[string]bool{},
		active: map[string]bool{}, seen: map[uint64]int{}, days: importer.Days{Loc: gs.Location}, me: o.Me}
	next := func(i int) (*row, error) {
		f := files[i]
		for !f.closed {
			r, err := f.next()
			if o.Progress != nil {
				n := f.Consumed()
				o.Progress.Bytes.Add(n - f.last)
				f.last = n
			}
			if err == nil && r != nil {
				return r, nil
			}
			if err == nil {
				s.Bytes += f.Size
				f.closed = true
				f.F.Close()
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
			s.Bytes += f.Consumed()
			f.closed = true
			f.F.Close()
			s.Notef("%v: the rest of this file was skipped; what came before it is imported", err)
			return nil, nil
		}
		return nil, nil
	}
	less := func(a, b *row) bool { return a.t.Before(b.t) }
	tot, err := importer.Run(ctx, b, o.Batch, func(ctx context.Context, emit importer.Emit) error {
		c.emit = emit
		return importer.Merge(len(files), next, less, func(i int, r *row) error {
			return c.add(files[i], r)
		})
	})
	tot.Add(s)
	s.Elapsed = time.Since(start)
	if c.youSkipped > 0 {
		s.Notef("%d system line(s) name the exporting account as 你/you before its nickname was known: pass -me NICKNAME to count them", c.youSkipped)
	}
	if err != nil {
		for _, f := range files {
			if !f.closed {
				s.Bytes += f.Consumed()
			}
		}
		return s, importer.Stopped(err, tot)
	}
	return s, nil
}

type conv struct {
	ctx        context.Context
	group      string
	o          Options
	sum        *importer.Summary
	emit       importer.Emit
	ids        map[string]string // nickname → member id
	known      map[string]bool   // nicknames seen as senders or joiners
	active     map[string]bool   // member ids with a message
	me         string
	youSkipped int
	lastT      int64
	seen       map[uint64]int // records with the same hash at lastT
	days       importer.Days
}

func (c *conv) member(nick string) (bot.Member, error) {
	id, ok := c.ids[nick]
	if !ok {
		var err error
		if id, err = c.o.Identities.Member(c.ctx, c.group, nick); err != nil {
			return bot.Member{}, fmt.Errorf("identity of %q in %s: %w", nick, c.group, err)
		}
		if id == "" {
			return bot.Member{}, fmt.Errorf("identity of %q in %s: no id", nick, c.group)
		}
		c.ids[nick] = id
	}
	return bot.Member{ID: id, Name: nick}, nil
}

// id derives a stable event id: the time, a hash of the sender, type and
// content, and the occurrence of the same within that second.
func (c *conv) id(r *row) string {
	h := fnv.New64a()
	who := r.sender
	if who == "" {
		who = r.nick
	}
	h.Write([]byte(who))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(r.typ)))
	h.Write([]byte{0})
	h.Write([]byte(r.content))
	sum := h.Sum64()
	u := r.t.Unix()
	if u != c.lastT {
		c.lastT = u
		clear(c.seen)
	}
	occ := c.seen[sum]
	c.seen[sum] = occ + 1
	id := "wx:" + strconv.FormatInt(u, 10) + ":" + strconv.FormatUint(sum, 16)
	if occ > 0 {
		id += ":" + strconv.Itoa(occ)
	}
	return id
}

const (
	typeText   = 1
	typeApp    = 49
	subQuote   = 57
	typeSystem = 10000
	typeRecall = 10002
)

func (c *conv) add(f *file, r *row) error {
	where := func() string { return fmt.Sprintf("%s:%d", f.Path, r.line) }
	id := c.id(r)
	if !c.o.Before.IsZero() && !r.t.Before(c.o.Before) {
		c.sum.Skipped.Add("records at or after -before (Pulse recorded that time live)", 1, where)
		return nil
	}
	if r.typ == typeSystem || r.typ == typeRecall {
		return c.system(r, id, where)
	}
	nick := r.nick
	if nick == "" && r.isSender {
		nick = c.me
	}
	if nick == "" {
		c.sum.Skipped.Add("messages without a sender nickname", 1, where)
		return nil
	}
	if r.isSender && c.me == "" {
		c.me = nick
	}
	who, err := c.member(nick)
	if err != nil {
		return err
	}
	c.known[nick] = true
	ev := bot.Event{Kind: bot.KindMessage, Group: c.group, ID: id, Member: who, Time: r.t}
	switch {
	case r.typ == typeText:
		ev.Text = r.content
	case r.typ == typeApp && r.sub == subQuote:
		title, quoted, ok := quote(r.content)
		if ok {
			ev.Text = title
		}
		if quoted == "" {
			c.sum.Skipped.Add("quote-replies without the quoted member's name (counted as plain messages)", 1, where)
		} else if ev.ReplyTo, err = c.member(quoted); err != nil {
			return err
		}
	}
	for _, name := range c.mentioned(ev.Text, nick) {
		mm, err := c.member(name)
		if err != nil {
			return err
		}
		ev.Mentions = append(ev.Mentions, mm)
	}
	c.sum.Messages++
	if c.o.Progress != nil {
		c.o.Progress.Messages.Add(1)
	}
	if !c.active[who.ID] {
		c.active[who.ID] = true
		c.sum.Members++
	}
	c.days.Count(c.sum, r.t)
	return c.emit(ev)
}

// mentioned finds "@name" of members seen so far in text, as the live
// adapter does: at each @ the longest known name followed by \u2005, a
// space, punctuation or the end.
func (c *conv) mentioned(text, self string) []string {
	if !strings.ContainsAny(text, "@＠") {
		return nil
	}
	var out []string
	seen := map[string]bool{self: true}
	for i, r := range text {
		if r != '@' && r != '＠' {
			continue
		}
		rest := text[i+utf8.RuneLen(r):]
		best := ""
		for name := range c.known {
			if len(name) <= len(best) || !strings.HasPrefix(rest, name) {
				continue
			}
			next, _ := utf8.DecodeRuneInString(rest[len(name):])
			if len(rest) == len(name) || next == '\u2005' || unicode.IsSpace(next) || unicode.IsPunct(next) {
				best = name
			}
		}
		if best != "" && !seen[best] {
			seen[best] = true
			out = append(out, best)
		}
	}
	return out
}

// System lines (Chinese and English WeChat). Names are in ASCII or
// Chinese quotes.
var (
	q          = `["“”]`
	name       = `(.+?)`
	reInvite   = regexp.MustCompile(`^(?:` + q + name + q + `|你)\s*邀请\s*(?:` + q + `(.+)` + q + `|你)\s*加入了群聊`)
	reInviteEn = regexp.MustCompile(`^(?:` + q + name + q + `|You) invited (?:` + q + `(.+)` + q + `|you) to (?:join )?the group chat`)
	reScan     = regexp.MustCompile(`^(?:` + q + name + q + `|你)\s*通过扫描\s*` + q + `(.+)` + q + `\s*分享的二维码加入群聊`)
	reScanEn   = regexp.MustCompile(`^(?:` + q + name + q + `|You) joined (?:the )?group chat via (?:the )?QR [Cc]ode shared by ` + q + `(.+)` + q)
	reJoinVia  = regexp.MustCompile(`^` + q + name + q + `\s*通过.*?(?:` + q + `(.+?)` + q + `.*?)?加入(?:了)?群聊`)
	reRemove   = regexp.MustCompile(`^(?:` + q + name + q + `|你)\s*将\s*` + q + `(.+)` + q + `\s*移出了群聊`)
	reRemoveEn = regexp.MustCompile(`^(?:` + q + name + q + `|You) removed ` + q + `(.+)` + q + ` from the group chat`)
	splitNames = regexp.MustCompile(`[、，]|` + q + `\s*[、,，]\s*` + q)
)

// system handles a type 10000 (or 10002) line.
func (c *conv) system(r *row, id string, where func() string) error {
	text := strings.TrimSpace(html.UnescapeString(r.content))
	var inviter, joined string
	leave := false
	if m := reInvite.FindStringSubmatch(text); m != nil {
		inviter, joined = m[1], m[2]
		if m[2] == "" {
			joined = "\x00you"
		}
		if m[1] == "" {
			inviter = c.me // 你邀请…: the exporting account invited
		}
	} else if m := reInviteEn.FindStringSubmatch(text); m != nil {
		inviter, joined = m[1], m[2]
		if m[2] == "" {
			joined = "\x00you"
		}
		if m[1] == "" {
			inviter = c.me
		}
	} else if m := reScan.FindStringSubmatch(text); m != nil {
		joined, inviter = m[1], m[2]
		if m[1] == "" {
			joined = "\x00you"
		}
	} else if m := reScanEn.FindStringSubmatch(text); m != nil {
		joined, inviter = m[1], m[2]
		if m[1] == "" {
			joined = "\x00you"
		}
	} else if m := reRemove.FindStringSubmatch(text); m != nil {
		joined, leave = m[2], true
	} else if m := reRemoveEn.FindStringSubmatch(text); m != nil {
		joined, leave = m[2], true
	} else if m := reJoinVia.FindStringSubmatch(text); m != nil {
		joined, inviter = m[1], m[2]
	} else {
		switch {
		case r.typ == typeRecall || strings.Contains(text, "撤回了一条消息") || strings.Contains(text, "recalled a message"):
			c.sum.Skipped.Add("recalled-message notices", 1, where)
		case strings.Contains(text, "拍了拍") || strings.Contains(text, " patted "):
			c.sum.Skipped.Add("pats (拍一拍)", 1, where)
		default:
			c.sum.Skipped.Add("other system lines (group renames, notices, red packets, …)", 1, where)
		}
		return nil
	}
	var target bot.Member
	if inviter != "" {
		var err error
		if target, err = c.member(inviter); err != nil {
			return err
		}
	}
	var names []string
	for _, n := range splitNames.Split(joined, -1) {
		if n = strings.Trim(strings.TrimSpace(n), `"“”`); n != "" {
			names = append(names, n)
		}
	}
	for _, n := range names {
		if n == "\x00you" {
			if c.me == "" {
				c.youSkipped++
				continue
			}
			n = c.me
		}
		who, err := c.member(n)
		if err != nil {
			return err
		}
		c.known[n] = true
		ev := bot.Event{Kind: bot.KindJoin, Group: c.group, ID: id + "/" + n, Member: who, Target: target, Time: r.t}
		if leave {
			ev.Kind, ev.Target = bot.KindLeave, bot.Member{}
			c.sum.Leaves++
		} else {
			c.sum.Joins++
		}
		if err := c.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// quote reads a type 49/57 quote-reply's XML: the reply's text (<title>)
// and the quoted member's name (<refermsg><displayname>).
func quote(x string) (title, quoted string, ok bool) {
	if !strings.Contains(x, "<") {
		return x, "", x != ""
	}
	if t, found := element(x, "title"); found {
		title, ok = t, true
	}
	if i := strings.Index(x, "<refermsg>"); i >= 0 {
		ref := x[i:]
		if j := strings.Index(ref, "</refermsg>"); j >= 0 {
			ref = ref[:j]
		}
		if d, found := element(ref, "displayname"); found {
			quoted = strings.TrimSpace(d)
		}
	}
	return title, quoted, ok
}

// element returns the text of the first <name>…</name> in x, unescaped.
func element(x, name string) (string, bool) {
	open, end := "<"+name+">", "</"+name+">"
	i := strings.Index(x, open)
	if i < 0 {
		return "", false
	}
	rest := x[i+len(open):]
	j := strings.Index(rest, end)
	if j < 0 {
		return "", false
	}
	v := rest[:j]
	if s, ok := strings.CutPrefix(v, "<![CDATA["); ok {
		return strings.TrimSuffix(s, "]]>"), true
	}
	return html.UnescapeString(v), true
}
