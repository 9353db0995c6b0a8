package bot

// help lists the commands this member may use.
func (c *call) help() {
	r := c.gs.Rules.Makeup
	text := c.t("help.member", r.WindowDays, r.Cost)
	admin := c.ev.Member.IsAdmin || c.ev.Member.IsOwner
	if admin {
		text += c.t("help.admin")
	}
	if c.gs.HelpExtra != nil {
		text += c.gs.HelpExtra(c.loc, admin)
	}
	c.answer(text)
}
