package importer

import "context"

// WeChatIdentities links WeChat members, known in an export only by their
// nickname, to the stable member ids Pulse uses for them. The WeChat
// adapter keeps these ids (WeChat's own UserName changes at every login);
// its identity store implements this interface, so that imported history
// and live traffic land on the same members.
type WeChatIdentities interface {
	// Member returns the id of the member of group (a key such as
	// "wechat/读书会") known by nickname, creating one if needed.
	Member(ctx context.Context, group, nickname string) (id string, err error)
}

// NicknameIdentities is the default WeChatIdentities: a member's id is
// their nickname. It is a stand-in until the WeChat adapter's identity
// store is passed instead; members imported with it keep nickname ids.
type NicknameIdentities struct{}

// Member returns nickname.
func (NicknameIdentities) Member(_ context.Context, _, nickname string) (string, error) {
	return nickname, nil
}
