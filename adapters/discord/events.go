package discord

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/commands"
)

// Permissions that make a member a Pulse admin.
const adminPerms = discordgo.PermissionAdministrator | discordgo.PermissionManageGuild

// onMessage turns MESSAGE_CREATE into a message event. Bots, webhooks,
// system messages and direct messages are not counted.
func (a *Adapter) onMessage(_ *discordgo.Session, mc *discordgo.MessageCreate) {
	defer a.recover("MESSAGE_CREATE")
	m := mc.Message
	if m == nil || m.Author == nil || m.Author.Bot || m.WebhookID != "" || !a.serves(m.GuildID) {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	botID, _ := a.ids()
	key := groupKey(m.GuildID)
	var roles []string
	if m.Member != nil {
		roles = m.Member.Roles
	}
	ev := bot.Event{
		Kind: bot.KindMessage, Group: key, ID: m.ID, Time: m.Timestamp,
		Member: a.member(m.GuildID, m.Author, m.Member, roles, -1),
	}
	if ev.Time.IsZero() {
		ev.Time = snowflakeTime(m.ID)
	}

	if ref := m.MessageReference; ref != nil && ref.Type == discordgo.MessageReferenceTypeDefault && m.ReferencedMessage != nil {
		if r := m.ReferencedMessage; r.Author != nil {
			ev.ReplyTo = bot.Member{ID: r.Author.ID, Name: a.nameOf(m.GuildID, r.Author, r.Member), IsBot: r.Author.Bot || r.WebhookID != ""}
			if r.Author.ID == botID {
				ev.Addressed = true
			}
		}
	}
	for _, u := range m.Mentions {
		switch {
		case u == nil:
			continue
		case u.ID == botID:
			ev.Addressed = true
			continue
		case u.ID == ev.ReplyTo.ID && !mentionsUser(m.Content, u.ID):
			// A reply lists its author among the mentions when it pings
			// them; that is the reply, not a mention.
			continue
		}
		ev.Mentions = append(ev.Mentions, bot.Member{ID: u.ID, Name: a.nameOf(m.GuildID, u, nil), IsBot: u.Bot})
	}

	gs := a.guild(m.GuildID)
	ev.NoXP = a.noXP(gs, m.ChannelID)
	text, addressed := normalize(m.Content, botID, a.prefix)
	ev.Addressed = ev.Addressed || addressed
	ev.Text = text
	o := origin{guild: m.GuildID, channel: m.ChannelID, message: m.ID, member: ev.Member}
	switch {
	case m.Content == "" && !a.cfg.MessageContent:
		// Without the Message Content intent Discord sends no text. The
		// message still counts and earns XP by the cooldown alone.
		ev.TextUnknown = true
	case isRolesSync(text):
		// Handled here, not by the core: count the message without
		// running a command or earning XP.
		ev.Text, ev.Length, ev.NoXP = "", utf8.RuneCountInString(m.Content), true
		a.enqueue(ev, o)
		a.handOn(func() { a.spawn("roles sync", func() { a.rolesSyncText(o) }) })
		return
	}
	a.enqueue(ev, o)
}

// noXP reports whether a channel (or a thread's parent) earns no XP.
func (a *Adapter) noXP(gs *guildSettings, channel string) bool {
	if len(gs.noXP) == 0 {
		return false
	}
	if gs.noXP[channel] {
		return true
	}
	if c, err := a.s.State.Channel(channel); err == nil {
		a.s.State.RLock()
		parent := c.ParentID
		a.s.State.RUnlock()
		return parent != "" && gs.noXP[parent]
	}
	return false
}

// reactionAdd is MESSAGE_REACTION_ADD as Discord sends it; discordgo
// v0.29.0 drops message_author_id, so the raw event is read.
type reactionAdd struct {
	UserID          string            `json:"user_id"`
	MessageID       string            `json:"message_id"`
	MessageAuthorID string            `json:"message_author_id"`
	ChannelID       string            `json:"channel_id"`
	GuildID         string            `json:"guild_id"`
	Member          *discordgo.Member `json:"member"`
	Emoji           discordgo.Emoji   `json:"emoji"`
}

// onRaw reads the events discordgo's types do not carry fully.
func (a *Adapter) onRaw(_ *discordgo.Session, e *discordgo.Event) {
	if e.Type != "MESSAGE_REACTION_ADD" {
		return
	}
	defer a.recover("MESSAGE_REACTION_ADD")
	var r reactionAdd
	if err := json.Unmarshal(e.RawData, &r); err != nil {
		a.log.Warn("unreadable reaction", "err", err)
		return
	}
	if !a.serves(r.GuildID) || r.UserID == "" {
		return
	}
	botID, _ := a.ids()
	var u *discordgo.User
	var roles []string
	if r.Member != nil {
		u, roles = r.Member.User, r.Member.Roles
	}
	if u == nil {
		u = a.stateUser(r.GuildID, r.UserID)
	}
	if u.Bot || u.ID == botID {
		return
	}
	ev := bot.Event{
		Kind: bot.KindReaction, Group: groupKey(r.GuildID), MessageID: r.MessageID,
		// The same id as the history importer's (message/emoji/user).
		ID:     r.MessageID + "/" + emojiKey(r.Emoji) + "/" + r.UserID,
		Member: a.member(r.GuildID, u, r.Member, roles, -1),
	}
	if r.MessageAuthorID != "" {
		t := a.stateUser(r.GuildID, r.MessageAuthorID)
		ev.Target = bot.Member{ID: t.ID, Name: a.nameOf(r.GuildID, t, nil), IsBot: t.Bot || t.ID == botID}
	}
	a.enqueue(ev, origin{guild: r.GuildID, channel: r.ChannelID, member: ev.Member})
}

func emojiKey(e discordgo.Emoji) string {
	if e.ID != "" {
		return e.ID
	}
	return e.Name
}

// stateUser returns the user from the member cache, or a user with only
// the id.
func (a *Adapter) stateUser(guild, id string) *discordgo.User {
	if m, err := a.s.State.Member(guild, id); err == nil {
		a.s.State.RLock()
		u := m.User
		a.s.State.RUnlock()
		if u != nil {
			return u
		}
	}
	return &discordgo.User{ID: id}
}

func (a *Adapter) onMemberAdd(_ *discordgo.Session, m *discordgo.GuildMemberAdd) {
	defer a.recover("GUILD_MEMBER_ADD")
	if m.Member == nil || m.User == nil || m.User.Bot || !a.serves(m.GuildID) {
		return
	}
	ev := bot.Event{Kind: bot.KindJoin, Group: groupKey(m.GuildID), Time: m.JoinedAt, Joined: m.JoinedAt,
		Member: bot.Member{ID: m.User.ID, Name: displayName(m.Member, m.User)}}
	a.enqueue(ev, origin{guild: m.GuildID, member: ev.Member})
}

func (a *Adapter) onMemberRemove(_ *discordgo.Session, m *discordgo.GuildMemberRemove) {
	defer a.recover("GUILD_MEMBER_REMOVE")
	if m.Member == nil || m.User == nil || m.User.Bot || !a.serves(m.GuildID) {
		return
	}
	ev := bot.Event{Kind: bot.KindLeave, Group: groupKey(m.GuildID),
		Member: bot.Member{ID: m.User.ID, Name: displayName(nil, m.User)}}
	a.enqueue(ev, origin{guild: m.GuildID, member: ev.Member})
}

// onGuildCreate registers the slash commands of a server the first time
// it is seen, and records its member list. Large servers send only part
// of the list; the rest is asked for and arrives in chunks. Once the whole
// list is in hand the core reconciles the server's members with it (see
// listing).
func (a *Adapter) onGuildCreate(_ *discordgo.Session, g *discordgo.GuildCreate) {
	defer a.recover("GUILD_CREATE")
	if g.Guild == nil || g.Unavailable || !a.serves(g.ID) {
		return
	}
	if a.cfg.SlashCommands == "guild" {
		a.register(g.ID)
	}
	a.present(g.ID, g.Members)
	l := &listing{at: a.o.clock.Now(), ids: map[string]bool{}, chunks: map[int]bool{}}
	l.add(g.Members)
	if g.MemberCount <= len(g.Members) {
		a.lmu.Lock()
		delete(a.lists, g.ID) // an older request's chunks no longer matter
		a.lmu.Unlock()
		a.reconcile(g.ID, l)
		return
	}
	a.lmu.Lock()
	a.listSeq++
	l.nonce = fmt.Sprintf("pulse-%d", a.listSeq)
	a.lists[g.ID] = l
	a.lmu.Unlock()
	// Not from the handler: it may run while discordgo holds the
	// session's lock (events replayed during a resume).
	id, nonce := g.ID, l.nonce
	a.handOn(func() {
		a.spawn("member request", func() {
			if err := a.s.RequestGuildMembers(id, "", 0, nonce, false); err != nil {
				a.log.Warn("cannot ask for the member list", "guild", id, "err", err)
				a.lmu.Lock()
				if a.lists[id] == l {
					delete(a.lists, id) // never complete: nothing is reconciled
				}
				a.lmu.Unlock()
			}
		})
	})
}

func (a *Adapter) onMembersChunk(_ *discordgo.Session, c *discordgo.GuildMembersChunk) {
	defer a.recover("GUILD_MEMBERS_CHUNK")
	if !a.serves(c.GuildID) {
		return
	}
	a.present(c.GuildID, c.Members)
	a.lmu.Lock()
	l := a.lists[c.GuildID]
	if l == nil || c.Nonce != l.nonce || c.ChunkCount < 1 {
		a.lmu.Unlock()
		return // not our request's (a query, an older request)
	}
	l.add(c.Members)
	l.chunks[c.ChunkIndex] = true
	complete := len(l.chunks) >= c.ChunkCount
	if complete {
		delete(a.lists, c.GuildID)
	}
	a.lmu.Unlock()
	if complete {
		a.reconcile(c.GuildID, l)
	}
}

// listing is a server's member list being read: the members of
// GUILD_CREATE and of every chunk answering our request (by its nonce).
// It is complete when every chunk (0..chunk_count-1) has arrived; only
// then is it handed to the core's Reconcile, which marks left the members
// Pulse holds as present that the list no longer has (they left while
// Pulse was away). A list that never completes (a chunk lost to a
// reconnect, a refused request) is never reconciled: a new GUILD_CREATE
// starts over.
type listing struct {
	at     time.Time // when the list was read (GUILD_CREATE's arrival)
	nonce  string
	ids    map[string]bool // members other than bots
	chunks map[int]bool    // chunk indexes received
}

func (l *listing) add(members []*discordgo.Member) {
	for _, m := range members {
		if m != nil && m.User != nil && !m.User.Bot {
			l.ids[m.User.ID] = true
		}
	}
}

// reconcile hands a complete member list to the core.
func (a *Adapter) reconcile(guild string, l *listing) {
	if len(l.ids) == 0 {
		return // only bots listed: nothing a list of members can say
	}
	listed := make([]bot.Member, 0, len(l.ids))
	for id := range l.ids {
		listed = append(listed, bot.Member{ID: id})
	}
	at := l.at
	a.handOn(func() {
		a.spawn("member reconciliation", func() {
			left, err := a.core.Reconcile(a.bg, groupKey(guild), listed, at)
			if err != nil {
				a.log.Warn("member list not reconciled", "guild", guild, "err", err)
				return
			}
			if left > 0 {
				a.log.Info("members left while Pulse was away", "guild", guild, "left", left, "listed", len(listed))
			}
		})
	})
}

// present tells the core who is in a server, so silent members count,
// with each member's joined_at (so long-standing members are not new).
func (a *Adapter) present(guild string, members []*discordgo.Member) {
	var evs []bot.Event
	for _, m := range members {
		if m == nil || m.User == nil || m.User.Bot {
			continue
		}
		evs = append(evs, bot.Event{Kind: bot.KindPresent, Group: groupKey(guild), Joined: m.JoinedAt,
			Member: bot.Member{ID: m.User.ID, Name: displayName(m, m.User)}})
	}
	if len(evs) == 0 {
		return
	}
	a.handOn(func() {
		a.spawn("member list", func() {
			ps := make([]*bot.Pending, 0, len(evs))
			for _, ev := range evs {
				p, err := a.core.Submit(a.bg, ev)
				if err != nil {
					a.log.Warn("member refused by the core", "guild", guild, "member", ev.Member.ID, "err", err)
					continue
				}
				ps = append(ps, p)
			}
			failed := 0
			for _, p := range ps {
				if _, err := p.Wait(a.bg); err != nil {
					failed++
				}
			}
			if failed > 0 {
				a.log.Error("member list not fully recorded", "guild", guild, "failed", failed, "of", len(evs))
			}
		})
	})
}

// member describes who acted. roles are the member's role ids; perms are
// their permissions as Discord computed them (interactions), or -1.
func (a *Adapter) member(guild string, u *discordgo.User, m *discordgo.Member, roles []string, perms int64) bot.Member {
	key := groupKey(guild)
	ppl := a.peopleOf(key)
	owner, admin := a.privileges(guild, u.ID, roles, perms)
	if !admin {
		gs := a.guild(guild)
		for _, r := range roles {
			if gs.adminRoles[r] {
				admin = true
				break
			}
		}
	}
	return bot.Member{
		ID: u.ID, Name: displayName(m, u), IsBot: u.Bot,
		IsOwner: owner || ppl.owners[u.ID],
		IsAdmin: admin || owner || ppl.admins[u.ID],
	}
}

// privileges reports whether a user owns the server, and whether their
// permissions (given, or computed from the server's roles) include
// Administrator or Manage Server.
func (a *Adapter) privileges(guild, user string, roles []string, perms int64) (owner, admin bool) {
	g, err := a.s.State.Guild(guild)
	if err != nil {
		return false, perms >= 0 && perms&adminPerms != 0
	}
	a.s.State.RLock()
	defer a.s.State.RUnlock()
	if g.OwnerID == user {
		return true, true
	}
	if perms < 0 {
		perms = 0
		for _, r := range g.Roles {
			if r.ID == guild || slices.Contains(roles, r.ID) { // guild id: @everyone
				perms |= r.Permissions
			}
		}
	}
	return false, perms&adminPerms != 0
}

// nameOf is a user's name in a server: the cached member's nickname if
// m has none.
func (a *Adapter) nameOf(guild string, u *discordgo.User, m *discordgo.Member) string {
	if m == nil || m.Nick == "" {
		if sm, err := a.s.State.Member(guild, u.ID); err == nil {
			a.s.State.RLock()
			nick := sm.Nick
			a.s.State.RUnlock()
			if nick != "" {
				return nick
			}
		}
	}
	return displayName(m, u)
}

// displayName is the server nickname, else the global name, else the
// username.
func displayName(m *discordgo.Member, u *discordgo.User) string {
	switch {
	case m != nil && strings.TrimSpace(m.Nick) != "":
		return m.Nick
	case u == nil:
		return ""
	case strings.TrimSpace(u.GlobalName) != "":
		return u.GlobalName
	case u.Username != "":
		return u.Username
	}
	return u.ID
}

var userMention = regexp.MustCompile(`<@!?(\d+)>`)

// mentionsUser reports whether text mentions the user explicitly.
func mentionsUser(text, id string) bool {
	return strings.Contains(text, "<@"+id+">") || strings.Contains(text, "<@!"+id+">")
}

// normalize prepares a message's text for the core: a leading mention of
// the bot is dropped when a command follows ("@Pulse 签到"), the command
// prefix becomes "/" for words that are commands ("!checkin"), and user
// mentions "<@123>" read "@123", which the core resolves by id.
func normalize(text, botID, prefix string) (out string, addressed bool) {
	s := strings.TrimSpace(text)
	rest := s
	if botID != "" {
		for _, m := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
			if r, ok := strings.CutPrefix(s, m); ok {
				rest, addressed = strings.TrimSpace(r), true
				break
			}
		}
	}
	if prefix != "" && prefix != "/" {
		if r, ok := strings.CutPrefix(rest, prefix); ok && r != "" && !unicode.IsSpace(rune(r[0])) {
			if c, ok := commands.Parse("/" + r); ok && c.Name != commands.Unknown || isRolesSync("/"+r) {
				rest = "/" + r
			}
		}
	}
	if addressed {
		if _, ok := commands.Parse(rest); ok || isRolesSync(rest) {
			s = rest
		}
	} else {
		s = rest
	}
	if !strings.Contains(s, "<@") {
		return s, addressed
	}
	return userMention.ReplaceAllString(s, "@$1"), addressed
}

// isRolesSync recognises the admin command that re-applies role rewards:
// "/roles sync", "/resync-roles" or "同步身份组".
func isRolesSync(text string) bool {
	f := strings.Fields(strings.ToLower(text))
	switch {
	case len(f) == 2 && (f[0] == "/roles" || f[0] == "／roles") && f[1] == "sync":
		return true
	case len(f) == 1:
		return f[0] == "/resync-roles" || strings.TrimPrefix(f[0], "/") == "同步身份组"
	}
	return false
}
