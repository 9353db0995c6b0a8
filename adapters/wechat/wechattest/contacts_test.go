package wechattest_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

type contactAnswer struct {
	BaseResponse baseResponse
	MemberCount  int
	MemberList   []wireUser
}

type batchAnswer struct {
	BaseResponse baseResponse
	Count        int
	ContactList  []wireUser
}

func (c *client) getContact() contactAnswer {
	c.t.Helper()
	var a contactAnswer
	if err := jsonUnmarshal(c.get(webHost+cgi+"webwxgetcontact?"+url.Values{"r": {"1"}, "seq": {"0"}, "skey": {c.skey}}.Encode()), &a); err != nil {
		c.t.Fatal(err)
	}
	return a
}

func (c *client) batchGet(userNames ...string) batchAnswer {
	c.t.Helper()
	list := []map[string]string{}
	for _, u := range userNames {
		list = append(list, map[string]string{"UserName": u, "EncryChatRoomId": ""})
	}
	var a batchAnswer
	c.post(webHost+cgi+"webwxbatchgetcontact?type=ex&r=1", map[string]any{"BaseRequest": c.baseRequest(), "Count": len(list), "List": list}, &a)
	return a
}

func TestGetContactListsFriendsAndSavedGroups(t *testing.T) {
	s := newServer(t)
	s.AddFriend("carol", "Carol")
	s.AddGroup("book", "Book Club", "", wechattest.Member{Key: "alice", Nick: "Alice"})
	s.AddGroup("chess", "Chess", "")
	s.SetSaved("chess", false)
	c := newClient(t, s)
	c.login()

	a := c.getContact()
	if a.BaseResponse.Ret != 0 {
		t.Fatalf("ret = %d", a.BaseResponse.Ret)
	}
	got := map[string]wireUser{}
	for _, u := range a.MemberList {
		got[u.UserName] = u
	}
	if a.MemberCount != 2 || len(got) != 2 {
		t.Fatalf("MemberList = %+v, want carol and book", a.MemberList)
	}
	if f := got[s.UserName("carol")]; f.NickName != "Carol" || f.ContactFlag != 3 {
		t.Errorf("friend = %+v", f)
	}
	if g := got[s.UserName("book")]; g.NickName != "Book Club" || g.MemberList != nil {
		t.Errorf("group = %+v, want Book Club without members", g)
	}
	if _, ok := got[s.UserName("chess")]; ok {
		t.Error("unsaved group listed")
	}

	c.skey = "@crypt_wrong"
	if a := c.getContact(); a.BaseResponse.Ret != 1101 {
		t.Errorf("wrong skey: ret = %d, want 1101", a.BaseResponse.Ret)
	}
}

func TestBatchGetContactAnswersByPosition(t *testing.T) {
	s, c := bookServer(t)
	s.AddFriend("carol", "Carol")
	req := []string{"@unknown", s.UserName("book"), s.UserName("self"), s.UserName("carol")}
	a := c.batchGet(req...)
	if a.BaseResponse.Ret != 0 || a.Count != len(req) || len(a.ContactList) != len(req) {
		t.Fatalf("answer = %+v, want %d entries", a, len(req))
	}
	for i, u := range a.ContactList {
		if u.UserName != req[i] {
			t.Errorf("entry %d is %q, want %q", i, u.UserName, req[i])
		}
	}
	if u := a.ContactList[0]; u.NickName != "" || u.MemberList != nil {
		t.Errorf("unknown entry = %+v, want only its UserName", u)
	}
	if u := a.ContactList[2]; u.NickName != "Pulse" {
		t.Errorf("self = %+v", u)
	}
	if u := a.ContactList[3]; u.NickName != "Carol" {
		t.Errorf("friend = %+v", u)
	}

	g := a.ContactList[1]
	if g.NickName != "Book Club" || g.MemberCount != 3 || g.ChatRoomOwner != s.UserName("alice") || len(g.MemberList) != 3 {
		t.Fatalf("group = %+v", g)
	}
	self, alice, bob := g.MemberList[0], g.MemberList[1], g.MemberList[2]
	if self.UserName != s.UserName("self") {
		t.Errorf("first member = %+v, want the bot", self)
	}
	if alice.UserName != s.UserName("alice") || alice.NickName != "Alice" ||
		!strings.Contains(alice.HeadImgUrl, "seq=11") || !strings.Contains(alice.HeadImgUrl, "username="+alice.UserName) {
		t.Errorf("alice = %+v", alice)
	}
	if bob.UserName != s.UserName("bob") || bob.NickName != "Bob" || bob.DisplayName != "小鲍" || bob.HeadImgUrl != "" {
		t.Errorf("bob = %+v", bob)
	}
}

func TestMemberChangesShowOnTheWire(t *testing.T) {
	s, c := bookServer(t)
	s.AddMember("book", wechattest.Member{Key: "carol", Nick: "Carol", Display: "CC", Avatar: "7"})
	s.RemoveMember("book", "bob")
	s.SetDisplay("book", "alice", "Al")
	s.RenamePerson("alice", "Alicia")
	s.RenameGroup("book", "Readers")

	if got, want := s.Members("book"), []string{"alice", "carol"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Members = %v, want %v", got, want)
	}
	a := c.batchGet(s.UserName("book"))
	g := a.ContactList[0]
	if g.NickName != "Readers" || len(g.MemberList) != 3 {
		t.Fatalf("group = %+v, want Readers with bot, alice, carol", g)
	}
	got := map[string][2]string{}
	for _, m := range g.MemberList[1:] {
		got[m.UserName] = [2]string{m.NickName, m.DisplayName}
	}
	want := map[string][2]string{s.UserName("alice"): {"Alicia", "Al"}, s.UserName("carol"): {"Carol", "CC"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v, want %v", got, want)
	}
}

func TestBatchGetContactRefusals(t *testing.T) {
	s, c := bookServer(t)
	s.Fail("webwxbatchgetcontact", 1205, 1)
	if a := c.batchGet(s.UserName("book")); a.BaseResponse.Ret != 1205 || len(a.ContactList) != 0 {
		t.Fatalf("with Fail: %+v, want ret 1205", a)
	}
	if a := c.batchGet(s.UserName("book")); a.BaseResponse.Ret != 0 {
		t.Fatalf("after Fail ran out: ret %d", a.BaseResponse.Ret)
	}
	c.skey = "@crypt_wrong"
	if a := c.batchGet(s.UserName("book")); a.BaseResponse.Ret != 1101 {
		t.Fatalf("wrong skey: ret %d, want 1101", a.BaseResponse.Ret)
	}
}
