package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/pulsebot/pulse/bot"
)

// Discord's limits: characters of a message and of an embed's description
// (counted here in UTF-16 units, which is never less than Discord's
// count), users in allowed_mentions.
const (
	maxContent     = 2000
	maxDescription = 4096
	maxPingUsers   = 100
	embedColor     = 0x5865F2
)

// Send delivers what the core says on its own initiative (bot.Sender):
// a digest is posted as an embed, its chart attached, in the server's
// digest channel (else the level-up channel, else the system channel); a
// Direct reply goes to To by direct message. Posts are spaced by
// digest_interval so that a run over many servers stays inside Discord's
// rate limits; discordgo retries the 429s that still happen. A reply with
// LevelUp also applies the level's role rewards.
func (a *Adapter) Send(ctx context.Context, r bot.Reply) error {
	guild, ok := guildOf(r.Group)
	if !ok {
		return fmt.Errorf("discord: send: %q is not a Discord group key (discord/<server id>)", r.Group)
	}
	if !a.serves(guild) {
		return fmt.Errorf("discord: send to %s: not served by this process (discord.guilds, shard)", r.Group)
	}
	if r.Text == "" && r.Image == nil && r.LevelUp == nil {
		return nil
	}
	if err := a.pace.wait(ctx); err != nil {
		return fmt.Errorf("discord: send to %s: %w", r.Group, err)
	}
	var err error
	switch {
	case r.Text == "" && r.Image == nil:
	case r.Direct:
		err = a.sendDirect(ctx, r)
	case r.LevelUp != nil:
		gs := a.guild(guild)
		ch := gs.levelUp
		if ch == "" {
			ch, err = a.digestChannel(guild)
		}
		if err == nil {
			err = a.sendMessage(ctx, ch, r, nil)
		}
	default:
		var ch string
		if ch, err = a.digestChannel(guild); err == nil {
			err = a.sendEmbed(ctx, ch, r)
		}
	}
	if r.LevelUp != nil {
		a.reward(ctx, guild, r.LevelUp)
	}
	if err != nil {
		return fmt.Errorf("discord: send to %s: %w", r.Group, err)
	}
	return nil
}

// digestChannel is where a server's digest goes.
func (a *Adapter) digestChannel(guild string) (string, error) {
	gs := a.guild(guild)
	switch {
	case gs.digest != "":
		return gs.digest, nil
	case gs.levelUp != "":
		return gs.levelUp, nil
	}
	if g, err := a.s.State.Guild(guild); err == nil {
		a.s.State.RLock()
		ch := g.SystemChannelID
		a.s.State.RUnlock()
		if ch != "" {
			return ch, nil
		}
	}
	return "", fmt.Errorf("no channel for digests: set discord.guild_settings.%q.digest_channel", guild)
}

// deliver sends the replies to an event through the server's outbox:
// answers reply to the member's message, announcements go to the level-up
// channel (else the event's channel), Direct replies by direct message;
// level-ups get their role rewards.
func (a *Adapter) deliver(o origin, replies []bot.Reply) {
	a.post(o.guild, func() {
		ctx := a.bg
		gs := a.guild(o.guild)
		for _, r := range replies {
			var err error
			switch {
			case r.Text == "" && r.Image == nil:
			case r.Direct:
				err = a.sendDirect(ctx, r)
			case r.Announcement:
				ch := gs.levelUp
				if ch == "" {
					ch = o.channel
				}
				if ch != "" {
					err = a.sendMessage(ctx, ch, r, nil)
				}
			case o.channel != "":
				var ref *discordgo.MessageReference
				if o.message != "" {
					no := false
					ref = &discordgo.MessageReference{MessageID: o.message, ChannelID: o.channel, GuildID: o.guild, FailIfNotExists: &no}
				}
				err = a.sendMessage(ctx, o.channel, r, ref)
			}
			if err != nil {
				a.log.Error("reply not delivered", "group", groupKey(o.guild), "err", err)
			}
			if r.LevelUp != nil {
				a.reward(ctx, o.guild, r.LevelUp)
			}
		}
	})
}

// sendMessage posts r's text (split at Discord's limit) with its image
// attached, as a reply to ref if given.
func (a *Adapter) sendMessage(ctx context.Context, channel string, r bot.Reply, ref *discordgo.MessageReference) error {
	for k, c := range split(r.Text, maxContent) {
		ms := &discordgo.MessageSend{Content: c, AllowedMentions: allowed(r.Ping, ref != nil && slices.Contains(r.Ping, r.To))}
		if k == 0 {
			ms.Reference, ms.Files = ref, files(r.Image)
		}
		if _, err := a.s.ChannelMessageSendComplex(channel, ms, discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("post in channel %s: %w", channel, err)
		}
	}
	return nil
}

// sendEmbed posts r's text as embeds, the image shown in the first.
func (a *Adapter) sendEmbed(ctx context.Context, channel string, r bot.Reply) error {
	for k, c := range split(r.Text, maxDescription) {
		e := &discordgo.MessageEmbed{Description: c, Color: embedColor}
		ms := &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{e}, AllowedMentions: allowed(r.Ping, false)}
		if k == 0 && r.Image != nil {
			ms.Files = files(r.Image)
			e.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + ms.Files[0].Name}
		}
		if _, err := a.s.ChannelMessageSendComplex(channel, ms, discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("post in channel %s: %w", channel, err)
		}
	}
	return nil
}

// sendDirect sends r to r.To by direct message, as an embed.
func (a *Adapter) sendDirect(ctx context.Context, r bot.Reply) error {
	if r.To == "" {
		return errors.New("direct message without a recipient")
	}
	ch, err := a.dmChannel(ctx, r.To)
	if err != nil {
		return err
	}
	if err := a.sendEmbed(ctx, ch, r); err != nil {
		if code(err) == discordgo.ErrCodeCannotSendMessagesToThisUser {
			return fmt.Errorf("%s does not accept direct messages from the bot: %w", r.To, err)
		}
		return err
	}
	return nil
}

// dmChannel opens (once) the direct message channel with a user.
func (a *Adapter) dmChannel(ctx context.Context, user string) (string, error) {
	a.mu.Lock()
	ch := a.dms[user]
	a.mu.Unlock()
	if ch != "" {
		return ch, nil
	}
	c, err := a.s.UserChannelCreate(user, discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("open a direct message with %s: %w", user, err)
	}
	a.mu.Lock()
	a.dms[user] = c.ID
	a.mu.Unlock()
	return c.ID, nil
}

// allowed lets a message ping only the users in ping: never @everyone,
// @here or roles, whatever the text (a member may be called "@everyone").
func allowed(ping []string, repliedUser bool) *discordgo.MessageAllowedMentions {
	am := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, RepliedUser: repliedUser}
	for _, id := range ping {
		if _, err := parseSnowflake(id); err == nil && !slices.Contains(am.Users, id) && len(am.Users) < maxPingUsers {
			am.Users = append(am.Users, id)
		}
	}
	return am
}

// files attaches an image.
func files(img *bot.Image) []*discordgo.File {
	if img == nil {
		return nil
	}
	typ := img.Type
	if typ == "" {
		typ = "application/octet-stream"
	}
	return []*discordgo.File{{Name: fileName(img.Name, typ), ContentType: typ, Reader: bytes.NewReader(img.Data)}}
}

// fileName keeps a file name safe for an attachment:// URL.
func fileName(name, typ string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_'):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" || s == "_" {
		s = "image"
		if _, sub, ok := strings.Cut(typ, "/"); ok && typ != "application/octet-stream" {
			s += "." + sub
		}
	}
	return s
}

// units counts UTF-16 code units.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// split cuts text into pieces of at most limit UTF-16 units, at line
// breaks where it can, else at spaces. It returns at least one piece.
func split(text string, limit int) []string {
	var out []string
	s := text
	for units(s) > limit {
		cut, n := 0, 0
		for i, r := range s {
			if n+utf16.RuneLen(r) > limit {
				cut = i
				break
			}
			n += utf16.RuneLen(r)
		}
		if i := strings.LastIndexByte(s[:cut], '\n'); i > cut/2 {
			cut = i + 1
		} else if i := strings.LastIndexByte(s[:cut], ' '); i > cut/2 {
			cut = i + 1
		}
		out = append(out, strings.TrimRight(s[:cut], "\n "))
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// code returns the Discord error code of a REST error, 0 if none.
func code(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}
