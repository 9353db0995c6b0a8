// Package bot is Pulse's core: adapters hand it Events, it records them
// through the store, runs the growth mechanics and answers with Replies.
// It imports no platform SDK and no database driver.
package bot

import (
	"context"
	"time"
	"unicode/utf8"
)

// Kind says what happened in a group.
type Kind uint8

const (
	KindMessage Kind = iota + 1
	KindReaction
	KindJoin
	KindLeave
	// KindPresent says a member is in the group, from the platform's member
	// list: it counts them as present (so silent members are known) without
	// any activity. It is a listing, not a join notice: it never counts in
	// the day's joins, even with a join time (Event.Joined).
	KindPresent
)

func (k Kind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindReaction:
		return "reaction"
	case KindJoin:
		return "join"
	case KindLeave:
		return "leave"
	case KindPresent:
		return "present"
	}
	return "unknown"
}

// Member is who acted, as the adapter sees them at the time of the event.
// ID is stable within the group and unique per platform; it is never a
// display name unless the platform has nothing better (the console).
type Member struct {
	ID      string
	Name    string
	IsAdmin bool
	IsOwner bool
	IsBot   bool
}

// Event is one normalised thing that happened in a group.
type Event struct {
	Kind Kind
	// Group is the group key, "platform/group-id".
	Group string
	// ID is the platform's id of the message or event, used to drop
	// duplicates (reconnects and hot logins replay traffic). Empty: no check.
	ID     string
	Member Member
	Time   time.Time

	// Joined is when the member joined the group as the platform tells it
	// (Discord's joined_at on a member, OneBot's join_time), zero if the
	// platform does not say. Read on presence and join events only:
	//   - present: the member's recorded join time becomes Joined, and the
	//     day they were first seen moves back to Joined's day if earlier, so
	//     a member of long standing listed for the first time is not "new"
	//     and may make up days before Pulse came. No join is counted.
	//   - join: Joined, when set, is the join's time and replaces Time.
	// A Joined after Time is taken as Time.
	Joined time.Time

	// Message fields. Text is read for commands and anti-spam, never stored.
	Text      string
	Length    int      // characters; computed from Text when zero
	ReplyTo   Member   // whose message this replies to (zero: not a reply)
	Mentions  []Member // members mentioned (resolved by the adapter)
	Addressed bool     // the bot was @-mentioned or replied to

	// Target is whose message was reacted to (reactions), or the inviter
	// (joins, zero if unknown).
	Target Member
	// MessageID is the message reacted to, so a message that draws many
	// reactions counts once as "drew a reaction".
	MessageID string
	// Count makes a reaction event count-only: Count reactions whose
	// reactors are unknown (an export that gives emoji and count but no
	// users). Such an event has an empty Member and needs Target (the
	// message's author); the message counts as having drawn a reaction and
	// Target's reactions received grow by Count, but no one is credited
	// with giving them. Zero on every other event: a reaction with a
	// Member is one reaction by that member.
	Count int

	// NoXP marks a message that counts as activity but earns no XP or
	// message points (a channel configured without XP).
	NoXP bool
	// TextUnknown marks a message whose text the platform withheld
	// (Discord without the message content intent): it counts, earns XP
	// by the cooldown alone, and adds no characters.
	TextUnknown bool

	history bool // imported: commands are not run, nothing is answered
}

// length returns the message length in characters.
func (e *Event) length() int {
	if e.Length > 0 {
		return e.Length
	}
	return utf8.RuneCountInString(e.Text)
}

// Reply is something the bot says. Adapters decide how to deliver it.
// Text is empty on a level-up that is not announced: nothing to post, but
// LevelUp is there for platforms that reward levels.
type Reply struct {
	Group string
	Text  string
	// To is the member the reply answers; Private asks the adapter to show it
	// to that member only where the platform can (Discord ephemeral).
	To      string
	Private bool
	// Ping lists the member ids that may be pinged by this reply; every
	// other mention in Text must be rendered inert by the adapter.
	Ping []string
	// Announcement marks unsolicited posts (level-ups) as opposed to answers.
	Announcement bool
	// Direct asks for a private message to To instead of a group post
	// (owners' digests).
	Direct bool
	// Image is attached to the message (a digest's chart).
	Image *Image
	// LevelUp is set on a level-up announcement, for platforms that reward
	// levels (Discord roles).
	LevelUp *LevelUp
}

// Image is a picture to attach.
type Image struct {
	Name string // file name, e.g. "weekly.png"
	Type string // MIME type, e.g. "image/png"
	Data []byte
}

// LevelUp says who reached which level.
type LevelUp struct {
	Member string
	From   int
	To     int
}

// Sender delivers what the bot says on its own initiative (digests) to
// the platform a group lives on. Adapters implement it.
type Sender interface {
	Send(ctx context.Context, r Reply) error
}
