package metrics

import (
	"encoding/json"
	"fmt"
	"math"
)

// Ratio is a fraction that keeps its parts; it is undefined when Den is 0.
type Ratio struct{ Num, Den float64 }

// Defined reports whether the ratio has a denominator.
func (r Ratio) Defined() bool { return r.Den != 0 }

// Value is Num/Den, 0 when undefined.
func (r Ratio) Value() float64 {
	if r.Den == 0 {
		return 0
	}
	return r.Num / r.Den
}

// MarshalJSON writes the value rounded to 4 decimals, or null.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if !r.Defined() {
		return []byte("null"), nil
	}
	return json.Marshal(math.Round(r.Value()*1e4) / 1e4)
}

// UnmarshalJSON reads what MarshalJSON wrote (a value or null); the parts
// are not kept, only the value (as Num/1).
func (r *Ratio) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = Ratio{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("ratio: %w", err)
	}
	*r = Ratio{Num: v, Den: 1}
	return nil
}

// Values are one window's metrics, named as in DESIGN.md.
type Values struct {
	Members           int   `json:"members"`
	DAU               Ratio `json:"dau"`
	WAU               int   `json:"wau"`
	MAU               int   `json:"mau"`
	Stickiness        Ratio `json:"stickiness"`
	Messages          int64 `json:"messages"`
	ActiveMembers     int   `json:"active_members"`
	MessagesPerActive Ratio `json:"messages_per_active"`
	InteractionRate   Ratio `json:"interaction_rate"`
	NewMembers        int64 `json:"new_members"`
	LeftMembers       int64 `json:"left_members"`
	NetMembers        int64 `json:"net_members"`
	Activation        Ratio `json:"activation"`
	RetentionWoW      Ratio `json:"retention_wow"`
	SilentMembers     int   `json:"silent_members"`
	SilentRatio       Ratio `json:"silent_ratio"`
	ChurnRisk         int   `json:"churn_risk"`
	Checkins          int64 `json:"checkins"`
	CheckinRate       Ratio `json:"checkin_rate"`
}

// Report is a window's metrics with the previous window alongside.
type Report struct {
	Group string `json:"group"`
	From  string `json:"from"`
	To    string `json:"to"`
	Days  int    `json:"days"`
	// Since is the group's first recorded day when the window asked for
	// began before it; From is then that day.
	Since string `json:"since,omitempty"`
	Values
	// Previous covers PreviousFrom..PreviousTo, PreviousDays days with
	// data; none when the group has no data that early.
	PreviousFrom string   `json:"previous_from,omitempty"`
	PreviousTo   string   `json:"previous_to,omitempty"`
	PreviousDays int      `json:"previous_days"`
	Previous     Values   `json:"previous"`
	Segments     Segments `json:"segments"`
}

// Segments split the members present at To (用户分层). Every present member
// is in exactly one of Silent, New, Core, Active, Casual, tried in that
// order; AtRisk overlaps. Silent is the silent_members of the window, so
// the ratio, the segments and the lists always agree.
type Segments struct {
	Silent int `json:"silent"` // no activity in the last 30 days (潜水), newcomers included
	New    int `json:"new"`    // joined in the last 7 days, and active since
	Core   int `json:"core"`   // active on ≥ 5 of the last 7 days
	Active int `json:"active"` // active on 1–4 of the last 7 days
	Casual int `json:"casual"` // active in the last 30 days, not the last 7
	AtRisk int `json:"at_risk"`
	// Names, for owners only (never posted in the group). SilentNames are
	// all silent members; SilentNewNames those of them who joined in the
	// last 30 days, so have not spoken once since joining.
	SilentNames    []string `json:"silent_names,omitempty"`
	SilentNewNames []string `json:"silent_new_names,omitempty"`
	AtRiskNames    []string `json:"at_risk_names,omitempty"`
}

// Metric names that goals and exports accept, in display order.
var Names = []string{
	"members", "dau", "wau", "mau", "stickiness", "messages", "messages_per_active",
	"interaction_rate", "new_members", "left_members", "net_members", "activation",
	"retention_wow", "silent_members", "silent_ratio", "churn_risk", "checkin_rate",
}

// Get returns a metric by name.
func (v Values) Get(name string) (float64, bool) {
	switch name {
	case "members":
		return float64(v.Members), true
	case "dau":
		return v.DAU.Value(), true
	case "wau":
		return float64(v.WAU), true
	case "mau":
		return float64(v.MAU), true
	case "stickiness":
		return v.Stickiness.Value(), true
	case "messages":
		return float64(v.Messages), true
	case "messages_per_active":
		return v.MessagesPerActive.Value(), true
	case "interaction_rate":
		return v.InteractionRate.Value(), true
	case "new_members":
		return float64(v.NewMembers), true
	case "left_members":
		return float64(v.LeftMembers), true
	case "net_members":
		return float64(v.NetMembers), true
	case "activation":
		return v.Activation.Value(), true
	case "retention_wow":
		return v.RetentionWoW.Value(), true
	case "silent_members":
		return float64(v.SilentMembers), true
	case "silent_ratio":
		return v.SilentRatio.Value(), true
	case "churn_risk":
		return float64(v.ChurnRisk), true
	case "checkin_rate":
		return v.CheckinRate.Value(), true
	}
	return 0, false
}

// IsRatio reports whether a metric is a share (shown as a percentage).
func IsRatio(name string) bool {
	switch name {
	case "stickiness", "interaction_rate", "activation", "retention_wow", "silent_ratio", "checkin_rate":
		return true
	}
	return false
}
