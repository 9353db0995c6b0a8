package i18n

// chartTexts label the digest's activity chart.
var chartTexts = map[string]text{
	"title":    {"每日活跃", "Daily activity"},
	"dau":      {"活跃成员", "Active members"},
	"messages": {"消息数", "Messages"},
	"week":     {"本周", "This week"},
}
