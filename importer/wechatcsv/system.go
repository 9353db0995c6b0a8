package wechatcsv

import (
	"html"
	"regexp"
	"strings"

	"github.com/pulsebot/pulse/bot"
)

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
