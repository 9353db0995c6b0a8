// Package metrics computes the numbers community owners judge their group
// by, exactly as DESIGN.md defines them, from the per-day aggregates and
// activity bitmaps the store keeps — never from raw message history.
//
// Decisions where the definitions leave room (also in the README):
//   - A window is N local days ending on (and including) its last day, To.
//     The previous window is the N days before it.
//   - dau is the mean of the daily active counts over the window; wau and
//     mau are the distinct active members of the 7 and 30 days ending at To,
//     whatever the window's length; stickiness is dau ÷ mau.
//   - members are those present at the end of To: seen through a join,
//     activity or the platform's member list, and not left since. Bots are
//     never members. A member known only because someone replied to or
//     mentioned them is not counted until they are seen.
//   - interaction rate counts messages that reply to or mention another
//     member, plus messages that drew their first reaction (counted on the
//     reaction's day), over all messages; a message that was a reply and
//     also drew a reaction counts once when the reaction comes the same day
//     or the next.
//   - activation: of the distinct members who joined in the window, the
//     share active on their join day or the 6 days after, counting only
//     days up to To (so a past window's figure never changes later).
//   - week-over-week retention: of the members active in the 7 days before
//     the last 7 days of To, the share active in the last 7.
//   - silent members: present at To, no activity in the 30 days ending at To.
//   - churn risk: present at To, active in at least 2 of the 4 weeks before
//     the last 14 days, and silent in those 14 days.
//   - check-in rate: on-time check-ins (not make-ups) in the window ÷
//     (members at To × days).
//   - A ratio with a zero denominator is undefined: JSON null, shown "—".
package metrics
