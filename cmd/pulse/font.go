package main

import (
	"log/slog"
	"maps"
	"slices"

	"github.com/pulsebot/pulse/bot/digest"
)

// findCJKFont finds the CJK font of a chart; tests replace it.
var findCJKFont = digest.FindCJKFont

// warnNoCJKFont logs, once, when a group whose digest is in Chinese has no
// CJK font for its chart, whose labels are then English. The groups are
// those the file names, the console's, and any of an enabled platform
// under the defaults.
func warnNoCJKFont(log *slog.Logger, cfg *fileConfig) {
	keys := slices.Sorted(maps.Keys(cfg.Groups))
	keys = append(keys, "console/"+cfg.Console.Group)
	if cfg.WeChat.Enabled {
		keys = append(keys, "wechat/")
	}
	if cfg.Discord.Enabled {
		keys = append(keys, "discord/")
	}
	var without []string
	for _, key := range keys {
		g := cfg.Group(key)
		if g.Locale == "zh" && g.Digest.Enabled && findCJKFont(g.Digest.Font) == "" && !slices.Contains(without, key) {
			without = append(without, key)
		}
	}
	if len(without) > 0 {
		log.Warn("no CJK font found: the digest charts of Chinese groups are labelled in English; install Debian's fonts-noto-cjk (apt install fonts-noto-cjk) or set digest.font to a CJK font file",
			"groups", without)
	}
}
