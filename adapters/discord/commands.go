package discord

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/pulsebot/pulse/bot"
)

// SlashCommands returns the slash commands Pulse registers: one per chat
// command, with Chinese names and descriptions for zh-CN clients. Each is
// turned back into the text command and answered by the core, so the
// core's rules (who may grant, what a check-in pays) and texts apply.
func SlashCommands() []*discordgo.ApplicationCommand {
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	cmd := func(name, zhName, desc, zhDesc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		return &discordgo.ApplicationCommand{
			Type: discordgo.ChatApplicationCommand, Name: name, Description: desc,
			NameLocalizations:        &map[discordgo.Locale]string{discordgo.ChineseCN: zhName},
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.ChineseCN: zhDesc},
			Contexts:                 guildOnly, Options: opts,
		}
	}
	opt := func(typ discordgo.ApplicationCommandOptionType, name, zhName, desc, zhDesc string, required bool, choices ...[3]string) *discordgo.ApplicationCommandOption {
		o := &discordgo.ApplicationCommandOption{
			Type: typ, Name: name, Description: desc, Required: required,
			NameLocalizations:        map[discordgo.Locale]string{discordgo.ChineseCN: zhName},
			DescriptionLocalizations: map[discordgo.Locale]string{discordgo.ChineseCN: zhDesc},
		}
		for _, c := range choices { // value, English name, Chinese name
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{
				Name: c[1], Value: c[0], NameLocalizations: map[discordgo.Locale]string{discordgo.ChineseCN: c[2]},
			})
		}
		return o
	}
	sub := func(name, zhName, desc, zhDesc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		o := opt(discordgo.ApplicationCommandOptionSubCommand, name, zhName, desc, zhDesc, false)
		o.Options = opts
		return o
	}
	minAmount, minOne := float64(-1_000_000), float64(1)
	amount := opt(discordgo.ApplicationCommandOptionInteger, "amount", "数量", "Points (negative to deduct)", "积分（负数为扣分）", true)
	amount.MinValue, amount.MaxValue = &minAmount, 1_000_000
	deductAmount := opt(discordgo.ApplicationCommandOptionInteger, "amount", "数量", "Points to deduct", "要扣的积分", true)
	deductAmount.MinValue, deductAmount.MaxValue = &minOne, 1_000_000
	member := func() *discordgo.ApplicationCommandOption {
		return opt(discordgo.ApplicationCommandOptionUser, "member", "成员", "The member", "成员", true)
	}
	reason := func() *discordgo.ApplicationCommandOption {
		return opt(discordgo.ApplicationCommandOptionString, "reason", "原因", "Why (kept in the ledger)", "原因（记入账本）", false)
	}
	return []*discordgo.ApplicationCommand{
		cmd("checkin", "签到", "Daily check-in for points", "每日签到，赚积分"),
		cmd("makeup", "补签", "Make up a missed check-in for points", "花积分补上漏掉的签到",
			opt(discordgo.ApplicationCommandOptionString, "date", "日期", "The day, e.g. 2026-01-31 (default: the most recent missed day)", "日期，例如 2026-01-31（默认最近漏签的一天）", false)),
		cmd("me", "我的", "Your points, level and rank (only you see it)", "我的积分、等级和排名（仅自己可见）"),
		cmd("top", "排行", "Leaderboards", "排行榜",
			opt(discordgo.ApplicationCommandOptionString, "metric", "类别", "What to rank by", "按什么排行", false,
				[3]string{"points", "points", "积分"}, [3]string{"xp", "XP", "经验"},
				[3]string{"messages", "messages", "发言"}, [3]string{"streak", "streak", "连续签到"}),
			opt(discordgo.ApplicationCommandOptionString, "period", "时间", "This week or all time", "本周或总榜", false,
				[3]string{"week", "this week", "本周"}, [3]string{"all", "all time", "总榜"})),
		cmd("help", "帮助", "What Pulse can do", "Pulse 的指令"),
		cmd("stats", "统计", "Community numbers (admins)", "社群数据（管理员）",
			opt(discordgo.ApplicationCommandOptionString, "period", "时间", "e.g. 7d, 30d, week, month", "例如 7d、30d、本周、本月", false)),
		cmd("goal", "目标", "Community goals (admins set them)", "社群目标（管理员设置）",
			sub("set", "设置", "Set a goal", "设置目标",
				opt(discordgo.ApplicationCommandOptionString, "metric", "指标", "e.g. wau, dau, members, retention", "例如 周活、日活、成员、留存", true),
				opt(discordgo.ApplicationCommandOptionNumber, "target", "目标值", "The value to reach", "要达到的数值", true),
				opt(discordgo.ApplicationCommandOptionString, "deadline", "截止日期", "e.g. 2026-12-31", "例如 2026-12-31", true)),
			sub("list", "列表", "Goals and progress", "目标和进度"),
			sub("clear", "清除", "Remove a goal", "删除目标",
				opt(discordgo.ApplicationCommandOptionString, "metric", "指标", "The goal's metric (default: all)", "目标的指标（默认全部）", false))),
		cmd("grant", "加分", "Give points (admins)", "给成员加分（管理员）", member(), amount, reason()),
		cmd("deduct", "扣分", "Take points away (admins)", "给成员扣分（管理员）", member(), deductAmount, reason()),
		cmd("roles", "身份组", "Level reward roles (admins)", "等级奖励身份组（管理员）",
			sub("sync", "同步", "Re-apply the reward roles from the stored levels", "按已记录的等级重新发放奖励身份组")),
	}
}

// register overwrites the slash commands of a server ("" for global) once
// per process; Discord keeps them across restarts.
func (a *Adapter) register(guild string) {
	a.mu.Lock()
	appID, done := a.appID, a.registered[guild]
	a.registered[guild] = true
	a.mu.Unlock()
	if done {
		return
	}
	if appID == "" {
		a.log.Error("no application id: slash commands not registered (set discord.application_id)")
		return
	}
	a.handOn(func() {
		a.spawn("register commands", func() {
			_, err := a.s.ApplicationCommandBulkOverwrite(appID, guild, SlashCommands(), discordgo.WithContext(a.bg))
			if err != nil {
				a.mu.Lock()
				delete(a.registered, guild) // try again on the next GUILD_CREATE
				a.mu.Unlock()
				a.log.Error("slash commands not registered", "guild", guild, "err", err,
					"hint", "invite the bot with the applications.commands scope: "+InviteURL(appID))
				return
			}
			a.log.Info("slash commands registered", "guild", guild)
		})
	})
}

// clearGlobal removes global commands once per process when commands are
// registered per server, so that a bot that used the global scope before
// does not show every command twice.
func (a *Adapter) clearGlobal() {
	a.mu.Lock()
	appID, done := a.appID, a.registered["-global"]
	a.registered["-global"] = true
	a.mu.Unlock()
	if done || appID == "" {
		return
	}
	a.handOn(func() {
		a.spawn("clear global commands", func() {
			if _, err := a.s.ApplicationCommandBulkOverwrite(appID, "", []*discordgo.ApplicationCommand{}, discordgo.WithContext(a.bg)); err != nil {
				a.log.Warn("cannot remove global slash commands", "err", err)
			}
		})
	})
}

// commandText turns a slash command into the text command the core
// reads, with the members its options name. ok is false for commands
// Pulse does not have.
func commandText(d discordgo.ApplicationCommandInteractionData) (text string, mentions []bot.Member, ok bool) {
	args := []string{"/" + d.Name}
	opts := d.Options
	switch d.Name {
	case "checkin", "me", "help":
	case "makeup":
		args = append(args, word(opts, "date"))
	case "top":
		args = append(args, word(opts, "metric"), word(opts, "period"))
	case "stats":
		args = append(args, word(opts, "period"))
	case "goal":
		if len(opts) != 1 || opts[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			return "", nil, false
		}
		s := opts[0]
		args = append(args, s.Name)
		switch s.Name {
		case "set":
			args = append(args, word(s.Options, "metric"), word(s.Options, "target"), word(s.Options, "deadline"))
		case "clear":
			args = append(args, word(s.Options, "metric"))
		}
	case "grant", "deduct":
		id := word(opts, "member")
		if id == "" {
			return "", nil, false
		}
		args = append(args, "@"+id, word(opts, "amount"), value(opts, "reason"))
		mentions = append(mentions, resolved(d.Resolved, id))
	default:
		return "", nil, false
	}
	return strings.TrimSpace(strings.Join(args, " ")), mentions, true
}

// value returns an option's value as text, "" if it is absent.
func value(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o.Name != name || o.Value == nil {
			continue
		}
		switch v := o.Value.(type) {
		case string:
			return strings.TrimSpace(v)
		case float64:
			if o.Type == discordgo.ApplicationCommandOptionInteger || v == float64(int64(v)) {
				return strconv.FormatInt(int64(v), 10)
			}
			return strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(v)
		}
	}
	return ""
}

// word is an option's value as one argument: spaces would split it.
func word(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	return strings.Join(strings.Fields(value(opts, name)), "_")
}

// resolved describes a user an option names.
func resolved(r *discordgo.ApplicationCommandInteractionDataResolved, id string) bot.Member {
	m := bot.Member{ID: id}
	if r == nil {
		return m
	}
	u := r.Users[id]
	if u == nil {
		u = &discordgo.User{ID: id}
	}
	m.Name, m.IsBot = displayName(r.Members[id], u), u.Bot
	return m
}

// onInteraction answers slash commands. The command goes to the core in
// gateway order; its answer is the interaction's response.
func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer a.recover("INTERACTION_CREATE")
	i := ic.Interaction
	if i == nil || i.Type != discordgo.InteractionApplicationCommand { // ApplicationCommandData panics on others
		return
	}
	d := i.ApplicationCommandData()
	key := groupKey(i.GuildID)
	refuse := func(text string) {
		a.handOn(func() {
			a.spawn("interaction", func() { a.respond(a.bg, i, false, false, bot.Reply{Text: text, Private: true}) })
		})
	}
	switch {
	case i.GuildID == "" || i.Member == nil || i.Member.User == nil:
		refuse(t("", "guild.only"))
		return
	case !a.serves(i.GuildID):
		refuse(t(a.locale(key), "not.served"))
		return
	}
	perms := i.Member.Permissions
	if perms == 0 {
		perms = -1 // not sent: compute from the roles
	}
	member := a.member(i.GuildID, i.Member.User, i.Member, i.Member.Roles, perms)
	o := origin{guild: i.GuildID, channel: i.ChannelID, member: member}
	if d.Name == "roles" {
		if !member.IsAdmin && !member.IsOwner {
			refuse(t(a.locale(key), "roles.denied"))
			return
		}
		a.handOn(func() { a.spawn("roles sync", func() { a.rolesSyncInteraction(i, o) }) })
		return
	}
	text, mentions, ok := commandText(d)
	if !ok {
		refuse(t(a.locale(key), "unknown"))
		return
	}
	ev := bot.Event{
		Kind: bot.KindMessage, Group: key, ID: i.ID, Time: snowflakeTime(i.ID), Member: member,
		Text: text, Mentions: mentions, NoXP: a.noXP(a.guild(i.GuildID), i.ChannelID),
	}
	a.handOn(func() {
		p, err := a.core.Submit(a.bg, ev)
		a.spawn("interaction", func() { a.answer(i, o, p, err, d.Name == "me") })
	})
}

// answer waits for the core and responds to the interaction. If the core
// takes longer than deferAfter, or the answer carries an image, the
// interaction is acknowledged first (deferred) and the answer edited in.
// ephemeral says whether a deferral should be private (/me).
func (a *Adapter) answer(i *discordgo.Interaction, o origin, p *bot.Pending, err error, ephemeral bool) {
	ctx := a.bg
	key := groupKey(o.guild)
	var replies []bot.Reply
	deferred := false
	if err == nil {
		wctx, cancel := context.WithTimeout(ctx, a.o.deferAfter)
		replies, err = p.Wait(wctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			a.deferResponse(ctx, i, ephemeral)
			deferred = true
			replies, err = p.Wait(ctx)
		}
	}
	if err != nil {
		a.log.Error("command failed", "group", key, "command", i.ApplicationCommandData().Name, "err", err)
		a.respond(ctx, i, deferred, ephemeral, bot.Reply{Text: t(a.locale(key), "error"), Private: true})
		return
	}
	k := -1
	for j, r := range replies {
		if !r.Announcement && !r.Direct && (r.Text != "" || r.Image != nil) {
			k = j
			break
		}
	}
	if k < 0 {
		a.respond(ctx, i, deferred, ephemeral, bot.Reply{Text: t(a.locale(key), "done"), Private: true})
	} else {
		r := replies[k]
		if !deferred && r.Image != nil {
			// Uploading may take longer than Discord waits for a response.
			ephemeral = r.Private
			a.deferResponse(ctx, i, ephemeral)
			deferred = true
		}
		a.respond(ctx, i, deferred, ephemeral, r)
		replies = append(replies[:k:k], replies[k+1:]...)
	}
	if len(replies) > 0 {
		a.deliver(o, replies)
	}
}

func (a *Adapter) deferResponse(ctx context.Context, i *discordgo.Interaction, ephemeral bool) {
	data := &discordgo.InteractionResponseData{}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := a.s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: data},
		discordgo.WithContext(ctx))
	if err != nil {
		a.log.Error("cannot acknowledge interaction", "guild", i.GuildID, "interaction", i.ID, "err", err)
	}
}

// respond answers an interaction with r: the response itself, or an edit
// of the deferred response; text beyond one message follows up. A private
// answer to a public deferral (or the reverse) is sent as a follow-up with
// the right visibility and the placeholder removed.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, deferred, ephemeral bool, r bot.Reply) {
	chunks := split(r.Text, maxContent)
	am := allowed(r.Ping, false)
	var flags discordgo.MessageFlags
	if r.Private {
		flags = discordgo.MessageFlagsEphemeral
	}
	opt := discordgo.WithContext(ctx)
	var err error
	switch {
	case !deferred:
		err = a.s.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: chunks[0], AllowedMentions: am, Flags: flags, Files: files(r.Image)},
		}, opt)
		if code(err) == discordgo.ErrCodeUnknownInteraction && !r.Private && i.ChannelID != "" {
			// Too late for Discord: say it in the channel instead.
			a.log.Warn("interaction expired; answering in the channel", "guild", i.GuildID, "interaction", i.ID)
			err = a.sendMessage(ctx, i.ChannelID, r, nil)
			chunks = chunks[:1]
		}
	case r.Private == ephemeral:
		_, err = a.s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &chunks[0], AllowedMentions: am, Files: files(r.Image)}, opt)
	default:
		_, err = a.s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: chunks[0], AllowedMentions: am, Flags: flags, Files: files(r.Image)}, opt)
		if err == nil {
			err = a.s.InteractionResponseDelete(i, opt)
		}
	}
	if err != nil {
		a.log.Error("cannot answer interaction", "guild", i.GuildID, "interaction", i.ID, "err", err)
		return
	}
	for _, c := range chunks[1:] {
		if _, err := a.s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: c, AllowedMentions: am, Flags: flags}, opt); err != nil {
			a.log.Error("cannot follow up interaction", "guild", i.GuildID, "interaction", i.ID, "err", err)
			return
		}
	}
}
