package discord

import (
	"github.com/bwmarrin/discordgo"
)

// onReady learns the bot's user and application ids, then registers the
// slash commands where the config wants them.
func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer a.recover("READY")
	a.mu.Lock()
	if r.User != nil {
		a.botID = r.User.ID
	}
	if a.appID == "" && r.Application != nil {
		a.appID = r.Application.ID
	}
	appID := a.appID
	a.mu.Unlock()
	name := ""
	if r.User != nil {
		name = r.User.Username
	}
	a.log.Info("connected", "bot", name, "guilds", len(r.Guilds), "application", appID)
	switch a.cfg.SlashCommands {
	case CommandsGlobal:
		a.register("")
	case CommandsGuild:
		a.clearGlobal()
	}
}

func (a *Adapter) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	a.log.Info("session resumed")
}

func (a *Adapter) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	if !a.closing.Load() {
		a.log.Warn("gateway connection lost; reconnecting")
	}
}

func (a *Adapter) onRateLimit(_ *discordgo.Session, r *discordgo.RateLimit) {
	if r.TooManyRequests != nil {
		a.log.Warn("rate limited; retrying", "url", r.URL, "retry_after", r.RetryAfter)
	}
}
