package discordexport

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

// synth writes a synthetic DiscordChatExporter JSON export that looks like
// a busy real channel: indented as the exporter writes it, authors with
// roles and avatars, replies, mentions, reactions with users, attachments,
// embeds, joins, pins and bot messages.
type synth struct {
	guild, channel string
	members        int
	start          time.Time
	seed           uint64
	idBase         uint64 // message ids are idBase+i
	// plain writes only short ordinary messages by members (no replies,
	// reactions, mentions, attachments, bots or system messages), the
	// shape of the core's own BenchmarkIngestHistory.
	plain bool
}

var words = strings.Fields(`the a meetup tonight release bug fix thanks welcome hello everyone
has anyone tried this new feature docs link question answer great idea agree weekend coffee
code review deploy server channel role event stream game music 好的 谢谢 大家 早上好 明天见`)

func (s synth) author(r *rand.Rand, k int) (id, name string, bot bool) {
	if k < 3 { // three bots
		return strconv.Itoa(900000 + k), []string{"MEE6", "Dyno", "Carl-bot"}[k], true
	}
	return strconv.Itoa(100000000000 + k), "member" + strconv.Itoa(k), false
}

func (s synth) user(w *bufio.Writer, indent string, r *rand.Rand, k int, full bool) {
	id, name, bot := s.author(r, k)
	fmt.Fprintf(w, "{\n%s  \"id\": \"%s\",\n%s  \"name\": \"%s\",\n%s  \"discriminator\": \"0000\",\n%s  \"nickname\": \"%s\",\n", indent, id, indent, name, indent, indent, strings.ToUpper(name[:1])+name[1:])
	if full {
		fmt.Fprintf(w, "%s  \"color\": \"#1ABC9C\",\n%s  \"isBot\": %v,\n%s  \"roles\": [\n%s    {\n%s      \"id\": \"777\",\n%s      \"name\": \"Member\",\n%s      \"color\": null,\n%s      \"position\": 1\n%s    }\n%s  ],\n",
			indent, indent, bot, indent, indent, indent, indent, indent, indent, indent, indent)
	} else {
		fmt.Fprintf(w, "%s  \"isBot\": %v,\n", indent, bot)
	}
	fmt.Fprintf(w, "%s  \"avatarUrl\": \"https://cdn.discordapp.com/avatars/%s/a1b2c3d4e5f6a7b8c9d0.png?size=512\"\n%s}", indent, id, indent)
}

// write writes n messages and returns the bytes written.
func (s synth) write(out io.Writer, n int) (int64, error) {
	cw := &countWriter{w: out}
	w := bufio.NewWriterSize(cw, 1<<20)
	r := rand.New(rand.NewPCG(s.seed, s.seed^0x5eed))
	fmt.Fprintf(w, "{\n  \"guild\": {\n    \"id\": \"%s\",\n    \"name\": \"Synthetic Guild\",\n    \"iconUrl\": \"https://cdn.discordapp.com/icons/%s/x.png\"\n  },\n", s.guild, s.guild)
	fmt.Fprintf(w, "  \"channel\": {\n    \"id\": \"%s\",\n    \"type\": \"GuildTextChat\",\n    \"categoryId\": \"1\",\n    \"category\": \"Text\",\n    \"name\": \"chan-%s\",\n    \"topic\": null\n  },\n", s.channel, s.channel)
	fmt.Fprintf(w, "  \"dateRange\": {\n    \"after\": null,\n    \"before\": null\n  },\n  \"messages\": [\n")
	t := s.start
	for i := range n {
		t = t.Add(time.Duration(r.IntN(20_000)) * time.Millisecond)
		k := r.IntN(s.members)
		if r.IntN(20) == 0 && !s.plain {
			k = r.IntN(3) // bots write 5%
		}
		typ := "Default"
		switch x := r.IntN(100); {
		case s.plain:
			k = 3 + r.IntN(s.members-3)
		case x == 0:
			typ = "GuildMemberJoin"
		case x == 1:
			typ = "ChannelPinnedMessage"
		case x < 20:
			typ = "Reply"
		}
		rich := func(n int) bool { return !s.plain && r.IntN(n) == 0 }
		if i > 0 {
			w.WriteString(",\n")
		}
		fmt.Fprintf(w, "    {\n      \"id\": \"%d\",\n      \"type\": \"%s\",\n      \"timestamp\": \"%s\",\n      \"timestampEdited\": null,\n      \"callEndedTimestamp\": null,\n      \"isPinned\": false,\n",
			s.idBase+uint64(i), typ, t.Format("2006-01-02T15:04:05.000-07:00"))
		w.WriteString("      \"content\": \"")
		if s.plain {
			w.WriteString("a message from the archive ")
			w.WriteString(strconv.Itoa(i))
		} else if typ != "GuildMemberJoin" {
			nw := 3 + r.IntN(25)
			for j := range nw {
				if j > 0 {
					w.WriteByte(' ')
				}
				w.WriteString(words[r.IntN(len(words))])
			}
			if r.IntN(10) == 0 {
				w.WriteString(` \"quoted\"\n second line \u00e9 \ud83d\ude00`)
			}
		}
		w.WriteString("\",\n      \"author\": ")
		s.user(w, "      ", r, k, true)
		w.WriteString(",\n      \"attachments\": [")
		if rich(10) {
			fmt.Fprintf(w, "\n        {\n          \"id\": \"%d\",\n          \"url\": \"https://cdn.discordapp.com/attachments/%s/%d/image.png\",\n          \"fileName\": \"image.png\",\n          \"fileSizeBytes\": %d\n        }\n      ", 5000000+i, s.channel, i, r.IntN(1<<20))
		}
		w.WriteString("],\n      \"embeds\": [")
		if rich(20) {
			w.WriteString("\n        {\n          \"title\": \"A link title [with brackets]\",\n          \"url\": \"https://example.com/page\",\n          \"timestamp\": null,\n          \"description\": \"A description with } and ] and \\\" inside\",\n          \"color\": \"#FF0000\",\n          \"images\": [],\n          \"fields\": []\n        }\n      ")
		}
		w.WriteString("],\n      \"stickers\": [],\n      \"reactions\": [")
		if rich(10) {
			nr := 1 + r.IntN(3)
			for j := range nr {
				if j > 0 {
					w.WriteString(",")
				}
				nu := 1 + r.IntN(4)
				fmt.Fprintf(w, "\n        {\n          \"emoji\": {\n            \"id\": \"\",\n            \"name\": \"%s\",\n            \"code\": \"e%d\",\n            \"isAnimated\": false,\n            \"imageUrl\": \"https://cdn.jsdelivr.net/gh/twitter/twemoji@latest/assets/svg/1f44d.svg\"\n          },\n          \"count\": %d,\n          \"users\": [", []string{"👍", "🎉", "❤️"}[j], j, nu)
				for u := range nu {
					if u > 0 {
						w.WriteString(",")
					}
					w.WriteString("\n            ")
					s.user(w, "            ", r, 3+r.IntN(s.members-3), false)
				}
				w.WriteString("\n          ]\n        }")
			}
			w.WriteString("\n      ")
		}
		w.WriteString("],\n      \"mentions\": [")
		if rich(10) {
			w.WriteString("\n        ")
			s.user(w, "        ", r, 3+r.IntN(s.members-3), false)
			w.WriteString("\n      ")
		}
		w.WriteString("]")
		if typ == "Reply" && i > 0 {
			ref := s.idBase + uint64(i-1-r.IntN(min(i, 50)))
			fmt.Fprintf(w, ",\n      \"reference\": {\n        \"messageId\": \"%d\",\n        \"channelId\": \"%s\",\n        \"guildId\": \"%s\"\n      }", ref, s.channel, s.guild)
		}
		w.WriteString("\n    }")
	}
	fmt.Fprintf(w, "\n  ],\n  \"messageCount\": %d\n}\n", n)
	if err := w.Flush(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeSynthFile writes a synthetic export to path.
func writeSynthFile(path string, s synth, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	size, err := s.write(f, n)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return size, err
}
