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
	"strings"
	"time"

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
