package discordtest

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

func TestRequestGuildMembers(t *testing.T) {
	big := Guild{ID: "400", Name: "Big", InitialMembers: 1}
	for i := range 1001 {
		big.Members = append(big.Members, Member{User: User{ID: strconv.Itoa(5000 + i)}})
	}
	s := newTestServer(t, Options{Guilds: append(testGuilds(), big)})
	c, _, _ := connect(t, s)

	type chunk struct {
		GuildID    string   `json:"guild_id"`
		Members    []Member `json:"members"`
		ChunkIndex int      `json:"chunk_index"`
		ChunkCount int      `json:"chunk_count"`
		Nonce      string   `json:"nonce"`
	}
	readChunk := func() chunk {
		t.Helper()
		var ch chunk
		if err := json.Unmarshal(c.expect("GUILD_MEMBERS_CHUNK").D, &ch); err != nil {
			t.Fatal(err)
		}
		return ch
	}

	c.send(8, map[string]any{"guild_id": otherGuildID, "query": "", "limit": 0, "nonce": "n1"})
	if ch := readChunk(); ch.GuildID != otherGuildID || len(ch.Members) != 2 || ch.Members[1].User.ID != carolID ||
		ch.ChunkIndex != 0 || ch.ChunkCount != 1 || ch.Nonce != "n1" {
		t.Errorf("chunk %+v", ch)
	}

	// A list of servers gets chunks per server, in order; 1000 members a chunk.
	c.send(8, map[string]any{"guild_id": []string{testGuildID, "400"}, "nonce": "n2"})
	want := []struct{ guild, index, count, members int }{{100, 0, 1, 3}, {400, 0, 2, 1000}, {400, 1, 2, 1}}
	for _, w := range want {
		ch := readChunk()
		if ch.GuildID != strconv.Itoa(w.guild) || ch.ChunkIndex != w.index || ch.ChunkCount != w.count || len(ch.Members) != w.members || ch.Nonce != "n2" {
			t.Errorf("chunk %s %d/%d with %d members, want %+v", ch.GuildID, ch.ChunkIndex, ch.ChunkCount, len(ch.Members), w)
		}
	}

	// An unknown server gets no chunk: the heartbeat sent after it is
	// answered next, as the fake reads a connection in order.
	c.send(8, map[string]any{"guild_id": "999"})
	c.send(1, nil)
	if f := c.read(); f.Op != 11 {
		t.Errorf("got op %d %q, want the heartbeat ACK", f.Op, f.T)
	}
	if st := s.Stats(); !slices.Equal(st.Requested, []string{otherGuildID, testGuildID, "400", "999"}) {
		t.Errorf("Requested %v", st.Requested)
	}
}

func TestMessageCreate(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)

	m := s.MessageCreate(Message{ChannelID: testChannelID, Author: bob, Content: "hi <@202>, <@!200> and <@202> <@x>"})
	if m.ID == "" || m.GuildID != testGuildID || !m.Timestamp.Equal(testClock) || m.Member == nil || m.Member.Nick != "bobby" || m.Type != 0 {
		t.Errorf("filled message %+v", m)
	}
	if len(m.Mentions) != 2 || m.Mentions[0].ID != carolID || m.Mentions[1].ID != ownerID {
		t.Errorf("mentions %+v", m.Mentions)
	}
	var got struct {
		ID              string `json:"id"`
		ChannelID       string `json:"channel_id"`
		GuildID         string `json:"guild_id"`
		Author          User   `json:"author"`
		Content         string `json:"content"`
		Timestamp       string `json:"timestamp"`
		MentionEveryone bool   `json:"mention_everyone"`
		Member          struct {
			Roles []string `json:"roles"`
			Nick  string   `json:"nick"`
		} `json:"member"`
		Mentions []struct {
			ID     string `json:"id"`
			Member *struct {
				Roles []string `json:"roles"`
			} `json:"member"`
		} `json:"mentions"`
		Type int `json:"type"`
	}
	if err := json.Unmarshal(c.expect("MESSAGE_CREATE").D, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != m.ID || got.ChannelID != testChannelID || got.GuildID != testGuildID || got.Author != bob || got.Content != m.Content ||
		got.Timestamp != "2025-01-02T03:04:05Z" || got.MentionEveryone || got.Member.Nick != "bobby" || !slices.Equal(got.Member.Roles, []string{modRole}) {
		t.Errorf("MESSAGE_CREATE %+v", got)
	}
	if len(got.Mentions) != 2 || got.Mentions[0].ID != carolID || got.Mentions[0].Member == nil {
		t.Errorf("wire mentions %+v", got.Mentions)
	}

	// A reply carries the message it answers.
	reply := s.MessageCreate(Message{ChannelID: testChannelID, Author: carol, Content: "@everyone yes", ReferencedMessage: &m})
	var r struct {
		Type            int  `json:"type"`
		MentionEveryone bool `json:"mention_everyone"`
		Reference       struct {
			MessageID string `json:"message_id"`
			GuildID   string `json:"guild_id"`
		} `json:"message_reference"`
		Referenced struct {
			ID        string `json:"id"`
			Reference any    `json:"message_reference"`
		} `json:"referenced_message"`
	}
	if err := json.Unmarshal(c.expect("MESSAGE_CREATE").D, &r); err != nil {
		t.Fatal(err)
	}
	if reply.Type != 19 || r.Type != 19 || !r.MentionEveryone || r.Reference.MessageID != m.ID || r.Reference.GuildID != testGuildID || r.Referenced.ID != m.ID {
		t.Errorf("reply %+v", r)
	}

	// DispatchMessage and MessageWire fill nothing in.
	raw := Message{ID: "42", ChannelID: testChannelID, Author: bob, Content: "as is"}
	s.DispatchMessage(raw)
	var plain map[string]any
	_ = json.Unmarshal(c.expect("MESSAGE_CREATE").D, &plain)
	if plain["id"] != "42" || plain["guild_id"] != nil || plain["member"] != nil {
		t.Errorf("DispatchMessage sent %v", plain)
	}
	var wire map[string]any
	if err := json.Unmarshal(s.MessageWire(raw), &wire); err != nil || wire["id"] != "42" || wire["content"] != "as is" || wire["guild_id"] != nil {
		t.Errorf("MessageWire %v %v", wire, err)
	}
}

func TestReactionAdd(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)
	s.ReactionAdd(Reaction{ChannelID: testChannelID, MessageID: "500", UserID: bobID})
	s.ReactionAdd(Reaction{ChannelID: testChannelID, MessageID: "500", UserID: carolID, MessageAuthorID: bobID, Emoji: "🎉"})
	type reaction struct {
		UserID          string  `json:"user_id"`
		MessageID       string  `json:"message_id"`
		GuildID         string  `json:"guild_id"`
		MessageAuthorID *string `json:"message_author_id"`
		Emoji           struct {
			Name string `json:"name"`
		} `json:"emoji"`
		Member struct {
			User User `json:"user"`
		} `json:"member"`
	}
	var a, b reaction
	_ = json.Unmarshal(c.expect("MESSAGE_REACTION_ADD").D, &a)
	_ = json.Unmarshal(c.expect("MESSAGE_REACTION_ADD").D, &b)
	if a.UserID != bobID || a.MessageID != "500" || a.GuildID != testGuildID || a.MessageAuthorID != nil || a.Emoji.Name != "👍" || a.Member.User.ID != bobID {
		t.Errorf("reaction %+v", a)
	}
	if b.MessageAuthorID == nil || *b.MessageAuthorID != bobID || b.Emoji.Name != "🎉" {
		t.Errorf("reaction %+v", b)
	}
}

func TestMemberAddRemove(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)
	dave := User{ID: "203", Username: "dave"}

	s.MemberAdd(testGuildID, Member{User: dave})
	var add struct {
		GuildID  string `json:"guild_id"`
		User     User   `json:"user"`
		JoinedAt string `json:"joined_at"`
		Roles    []string
	}
	_ = json.Unmarshal(c.expect("GUILD_MEMBER_ADD").D, &add)
	if add.GuildID != testGuildID || add.User != dave || add.JoinedAt != "2025-01-02T03:04:05Z" || add.Roles == nil {
		t.Errorf("GUILD_MEMBER_ADD %+v", add)
	}
	has := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return findMember(s.guilds[testGuildID], dave.ID) != nil
	}
	if !has() {
		t.Error("member not stored")
	}

	s.MemberRemove(testGuildID, dave)
	var rm struct {
		GuildID string `json:"guild_id"`
		User    User   `json:"user"`
	}
	_ = json.Unmarshal(c.expect("GUILD_MEMBER_REMOVE").D, &rm)
	if rm.GuildID != testGuildID || rm.User != dave || has() {
		t.Errorf("GUILD_MEMBER_REMOVE %+v, still stored: %v", rm, has())
	}
}
