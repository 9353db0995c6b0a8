package wechat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/adapters/wechat"
)

// Members of imported history get stable ids the live adapter links the
// same people to, by nickname, at its next login.
func TestImportedIdentitiesLinkLive(t *testing.T) {
	e := newEnv(t)
	im, err := wechat.NewImportIdentities(context.Background(), e.core, wechat.WithClock(fixedClock{now}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	alice, err := im.Member(ctx, book, "Alice")
	if err != nil || !strings.HasPrefix(alice, "u") {
		t.Fatalf("Member = %q, %v", alice, err)
	}
	if again, _ := im.Member(ctx, book, "Alice"); again != alice {
		t.Errorf("second lookup %q, first %q", again, alice)
	}
	if other, _ := im.Member(ctx, book, "Bob"); other == alice {
		t.Error("two nicknames share an id")
	}
	if _, err := im.Member(ctx, "discord/1", "Alice"); err == nil {
		t.Error("a non-WeChat group accepted")
	}

	e.start()
	e.loggedIn(1)
	e.link() // Alice speaks live
	if id, m := e.member(book, "Alice"); id != alice || m.Messages < 1 {
		t.Errorf("live Alice is %s (%+v), imported Alice %s", id, m, alice)
	}
}
