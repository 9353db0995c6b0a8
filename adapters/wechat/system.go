package wechat

import (
	"regexp"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
)

// System messages.

var (
	quoted = regexp.MustCompile(`["“「]([^"“”「」]+)["”」]`)
	rename = regexp.MustCompile(`修改群名为\s*["“「]?(.+?)["”」]?\s*$`)
)

// joinReq is a join system message waiting for the member list.
type joinReq struct {
	msgID   string
	at      time.Time
	inviter string // display name; "" if unknown or the bot
	names   []string
	tries   int
}

// parseJoin reads the join notices WeChat posts in a group:
//
//	"A"邀请"B、C"加入了群聊      你邀请"B"加入了群聊
//	"B"通过扫描"A"分享的二维码加入群聊
//
// The names are display names; several invitees are separated by 、.
// A notice that the bot itself was invited gives nil.
func parseJoin(text string) *joinReq {
	text = strings.TrimSpace(text)
	var j joinReq
	switch {
	case strings.Contains(text, "分享的二维码加入群聊"):
		who, by, ok := strings.Cut(text, "通过扫描")
		if !ok {
			return nil
		}
		j.names = names(who)
		if inv := names(strings.TrimSuffix(strings.TrimSpace(by), "分享的二维码加入群聊")); len(inv) == 1 && !strings.HasPrefix(strings.TrimSpace(by), "你") {
			j.inviter = inv[0]
		}
	case strings.Contains(text, "加入了群聊"):
		head, _, _ := strings.Cut(text, "加入了群聊")
		by, who, ok := strings.Cut(head, "邀请")
		if !ok {
			j.names = names(head)
			break
		}
		if strings.TrimSpace(who) == "你" {
			return nil // the bot was invited
		}
		j.names = names(who)
		if inv := names(by); len(inv) == 1 && strings.TrimSpace(by) != "你" {
			j.inviter = inv[0]
		}
	default:
		return nil
	}
	if len(j.names) == 0 {
		return nil
	}
	return &j
}

// names reads the (quoted) names in s, splitting lists at 、.
func names(s string) []string {
	var raw []string
	for _, m := range quoted.FindAllStringSubmatch(s, -1) {
		raw = append(raw, m[1])
	}
	if len(raw) == 0 {
		raw = []string{s}
	}
	var out []string
	for _, r := range raw {
		for n := range strings.SplitSeq(r, "、") {
			if n = strings.TrimSpace(n); n != "" && n != "你" {
				out = append(out, n)
			}
		}
	}
	return out
}

// parseKick reads "你将"X"移出了群聊" (only kicks by the bot's account are
// posted).
func parseKick(text string) bool {
	return strings.Contains(text, "移出了群聊")
}

// parseRename reads `"A"修改群名为“新名”` and `你修改群名为“新名”`.
func parseRename(text string) (string, bool) {
	m := rename.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil || strings.TrimSpace(m[1]) == "" {
		return "", false
	}
	return strings.TrimSpace(m[1]), true
}

func (s *session) system(lg *liveGroup, m inMsg) {
	switch {
	case parseJoin(m.text) != nil:
		j := parseJoin(m.text)
		j.msgID, j.at = m.id, s.when(m)
		s.queue.add(lg.user, j)
	case parseKick(m.text):
		s.queue.add(lg.user, nil) // the next list shows who left
	default:
		if name, ok := parseRename(m.text); ok {
			s.mu.Lock()
			lg.name = name
			s.mu.Unlock()
			s.renamed(lg, name)
		}
	}
}

// joined reports a join once the member list has the newcomers. The
// caller holds lg.listMu.
func (s *session) joined(lg *liveGroup, j *joinReq) {
	a := s.a
	s.mu.Lock()
	key := Platform + "/" + lg.id
	s.mu.Unlock()
	var inviter bot.Member
	if l := lg.byName(j.inviter); j.inviter != "" && len(l) == 1 && l[0].id != "" {
		inviter = s.member(lg, l[0])
	}
	for _, n := range j.names {
		l := lg.byName(n)
		if len(l) > 1 {
			var fresh []*liveMember
			for _, lm := range l {
				if !lm.present {
					fresh = append(fresh, lm)
				}
			}
			l = fresh
		}
		if len(l) != 1 {
			a.log.Warn("a member who joined is not (or not once) in the member list", "group", key, "name", n)
			continue
		}
		lm := l[0]
		if lm.id == "" && !s.provisional(lg, lm) {
			continue
		}
		lm.present = true
		a.log.Info("member joined", "group", key, "member", lm.id, "name", n)
		s.submit(bot.Event{Kind: bot.KindJoin, Group: key, ID: j.msgID + "/" + lm.id, Member: s.member(lg, lm), Time: j.at, Target: inviter})
	}
}
