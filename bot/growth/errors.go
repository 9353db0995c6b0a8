package growth

import "fmt"

// RuleError is a rule that cannot work. Validate and NewCurve return one,
// so that a caller can point at the option without reading the message.
type RuleError struct {
	Option string // the option's path, such as "xp.min"
	Msg    string // the whole message; it starts with Option
}

func (e *RuleError) Error() string { return e.Msg }

func ruleErrorf(opt, format string, args ...any) *RuleError {
	return &RuleError{Option: opt, Msg: fmt.Sprintf(format, args...)}
}
