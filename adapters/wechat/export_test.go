package wechat

// The records as the core keeps them, for the tests outside the package.
type (
	MemberRecord = memberRecord
	GroupRecord  = groupRecord
)

func DecodeMember(b []byte) (MemberRecord, error) {
	var m memberRecord
	err := m.decode(b)
	return m, err
}

func DecodeGroup(b []byte) (GroupRecord, error) {
	var g groupRecord
	err := g.decode(b)
	return g, err
}
