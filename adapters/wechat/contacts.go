package wechat

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/eatmoreapple/openwechat"
)

// Contacts and member lists as WeChat gives them.

// contact is a contact as webwxbatchgetcontact returns it; unlike
// openwechat's User it keeps the group owner.
type contact struct {
	UserName, NickName, DisplayName, RemarkName, HeadImgUrl string
	ChatRoomOwner, EncryChatRoomId                          string
	AttrStatus                                              int64
	MemberCount                                             int
	MemberList                                              []contact
}

// fetchGroups reads groups with their member lists, paced so that many
// groups do not look like a burst.
func (s *session) fetchGroups(users []string) ([]contact, error) {
	if err := s.a.pace.wait(s.ctx, 0); err != nil {
		return nil, err
	}
	ms := make(openwechat.Members, len(users))
	for i, u := range users {
		ms[i] = &openwechat.User{UserName: u}
	}
	resp, err := s.wb.Caller.Client.WebWxBatchGetContact(s.ctx, ms, s.req)
	if err != nil {
		return nil, fmt.Errorf("webwxbatchgetcontact: %w", err)
	}
	defer resp.Body.Close()
	var r struct {
		BaseResponse struct {
			Ret    int
			ErrMsg string
		}
		ContactList []contact
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("webwxbatchgetcontact: %w", err)
	}
	if r.BaseResponse.Ret != 0 {
		if r.BaseResponse.Ret == retTooOften {
			s.a.st.rateLimited.Add(1)
			s.a.pace.hold(s.a.t.RateLimit)
		}
		return nil, fmt.Errorf("webwxbatchgetcontact: %w", openwechat.Ret(r.BaseResponse.Ret))
	}
	// Written back by position, one per UserName asked; check the names.
	out := make([]contact, len(users))
	for i, u := range users {
		if i < len(r.ContactList) && r.ContactList[i].UserName == u {
			out[i] = r.ContactList[i]
			continue
		}
		out[i] = contact{UserName: u}
		for _, c := range r.ContactList {
			if c.UserName == u {
				out[i] = c
			}
		}
	}
	return out, nil
}

// avatarID is the seq parameter of an avatar URL ("" if none or 0).
func avatarID(u string) string {
	_, q, ok := strings.Cut(u, "?")
	if !ok {
		return ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return ""
	}
	if seq := v.Get("seq"); seq != "0" {
		return seq
	}
	return ""
}

// friend finds a contact by nickname or remark name.
func (s *session) friend(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.friends {
		if cleanName(f.NickName) == name || cleanName(f.RemarkName) == name {
			return f.UserName
		}
	}
	return ""
}
