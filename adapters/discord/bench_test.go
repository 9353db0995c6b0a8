package discord_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/discord/discordtest"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// BenchmarkGatewayIngest measures MESSAGE_CREATE events from the fake
// gateway through discordgo, the adapter and the core into the store,
// every event committed (fsync'd) before it counts. The traffic mirrors
// the core's BenchmarkIngest (go test ./bot -bench Ingest): 1,000 members,
// 20 messages each per day, every 7th message a reply.
func BenchmarkGatewayIngest(b *testing.B) {
	h := newHarness(b)
	const members = 1000
	perDay := members * 20
	texts := []string{"good morning everyone", "has anyone tried the new release?", "thanks, that helped a lot", "see you at the meetup"}
	authors := make([]discordtest.User, members)
	for i := range authors {
		authors[i] = discordtest.User{ID: fmt.Sprint(500000000000000000 + i), Username: fmt.Sprintf("m%04d", i)}
	}
	frames := make([]json.RawMessage, b.N)
	var prev discordtest.Message
	for i := range frames {
		day, k := i/perDay, i%perDay
		m := discordtest.Message{
			ID: h.srv.NewID(), ChannelID: general, GuildID: guildID, Author: authors[k%members],
			Member:    &discordtest.Member{JoinedAt: start.AddDate(0, -1, 0)},
			Content:   texts[i%len(texts)],
			Timestamp: start.Add(-9*time.Hour).AddDate(0, 0, day).Add(time.Duration(k) * 86400 * time.Second / time.Duration(perDay)),
		}
		if i%7 == 0 && i > 0 {
			ref := prev
			m.ReferencedMessage, m.Type = &ref, 19
		}
		prev = m
		frames[i] = h.srv.MessageWire(m)
	}
	first := calendar.DayOf(start.Add(-9*time.Hour), time.UTC)
	last := first + calendar.Day(b.N/perDay)
	recorded := func() int64 {
		var n int64
		_ = h.db.View(func(tx *store.Tx) error {
			g, err := tx.Group(key)
			if err != nil || g == nil {
				return err
			}
			return g.ForEachGroupDay(first, last, func(_ calendar.Day, s *store.GroupDay) error { n += s.Messages; return nil })
		})
		return n
	}
	base := recorded()
	b.ReportAllocs()
	b.ResetTimer()
	for _, f := range frames {
		h.srv.Dispatch("MESSAGE_CREATE", f)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for recorded()-base < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("recorded %d of %d events", recorded()-base, b.N)
		}
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
