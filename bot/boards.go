package bot

import (
	"strings"

	"github.com/pulsebot/pulse/bot/boards"
)

// top answers /top [points|xp|messages|streak] [week|all].
func (c *call) top(args []string) error {
	metric, period, ok := boards.ParseTop(args)
	if !ok {
		c.answer(c.t("top.usage"))
		return nil
	}
	list, err := boards.Top(c.g, metric, period, c.day)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(c.t("top.title", c.t("top."+metric), c.t("top."+period)))
	if len(list) == 0 {
		b.WriteString("\n" + c.t("top.empty"))
	}
	me := -1
	for i, e := range list {
		if e.ID == c.ev.Member.ID {
			me = i
		}
		if i < 10 {
			b.WriteString("\n" + c.t("top.line", i+1, e.Name, e.Score))
		}
	}
	if me >= 10 {
		b.WriteString("\n" + c.t("top.you", me+1, list[me].Score))
	}
	c.answer(b.String())
	return nil
}
