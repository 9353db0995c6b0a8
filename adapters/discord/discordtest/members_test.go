package discordtest

import (
	"encoding/json"
	"testing"
	"time"
)

type wireChunk struct {
	GuildID string `json:"guild_id"`
	Members []struct {
		User     User   `json:"user"`
		JoinedAt string `json:"joined_at"`
	} `json:"members"`
	ChunkIndex int    `json:"chunk_index"`
	ChunkCount int    `json:"chunk_count"`
	Nonce      string `json:"nonce"`
}

// Members carry joined_at on GUILD_CREATE and in chunks; ChunkSize sets
// the chunks' size and LoseChunks drops some of the next request's.
func TestMemberListsJoinedAtAndChunks(t *testing.T) {
	joined := time.Date(2023, 6, 1, 8, 0, 0, 0, time.UTC)
	g := Guild{ID: "500", Name: "Five", InitialMembers: 1}
	for _, id := range []string{"501", "502", "503", "504", "505"} {
		g.Members = append(g.Members, Member{User: User{ID: id, Username: "u" + id}, JoinedAt: joined})
	}
	s := newTestServer(t, Options{Guilds: []Guild{g}, ChunkSize: 2})
	c := dial(t, s)
	c.hello()
	c.identify(IntentGuilds | IntentGuildMembers)
	c.expect("READY")
	var created struct {
		Members []struct {
			JoinedAt string `json:"joined_at"`
		} `json:"members"`
		MemberCount int `json:"member_count"`
	}
	if err := json.Unmarshal(c.expect("GUILD_CREATE").D, &created); err != nil {
		t.Fatal(err)
	}
	if len(created.Members) != 1 || created.Members[0].JoinedAt != "2023-06-01T08:00:00Z" || created.MemberCount != 5 {
		t.Errorf("GUILD_CREATE members %+v of %d", created.Members, created.MemberCount)
	}
	read := func() wireChunk {
		t.Helper()
		var ch wireChunk
		if err := json.Unmarshal(c.expect("GUILD_MEMBERS_CHUNK").D, &ch); err != nil {
			t.Fatal(err)
		}
		return ch
	}
	// 5 members, 2 a chunk: 3 chunks of 2, 2 and 1.
	c.send(8, map[string]any{"guild_id": "500", "query": "", "limit": 0, "nonce": "a"})
	for i, n := range []int{2, 2, 1} {
		ch := read()
		if ch.ChunkIndex != i || ch.ChunkCount != 3 || len(ch.Members) != n || ch.Members[0].JoinedAt != "2023-06-01T08:00:00Z" {
			t.Errorf("chunk %d: %+v", i, ch)
		}
	}
	// Chunk 1 lost: 0 and 2 arrive, still saying there are 3; the next
	// request loses nothing.
	s.LoseChunks(1)
	c.send(8, map[string]any{"guild_id": "500", "nonce": "b"})
	if a, b := read(), read(); a.ChunkIndex != 0 || b.ChunkIndex != 2 || b.ChunkCount != 3 {
		t.Errorf("with chunk 1 lost: chunks %d and %d of %d", a.ChunkIndex, b.ChunkIndex, b.ChunkCount)
	}
	// 504 leaves quietly: nothing is dispatched (the heartbeat ACK comes
	// next), and the next list has 4 members.
	s.LeaveQuietly("500", "504")
	c.send(1, nil)
	if f := c.read(); f.Op != 11 {
		t.Errorf("got op %d %q after LeaveQuietly, want the heartbeat ACK", f.Op, f.T)
	}
	c.send(8, map[string]any{"guild_id": "500", "nonce": "c"})
	var ids []string
	for range 2 {
		for _, m := range read().Members {
			ids = append(ids, m.User.ID)
		}
	}
	if len(ids) != 4 || ids[3] != "505" {
		t.Errorf("members after 504 left: %v", ids)
	}
}
