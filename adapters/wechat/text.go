package wechat

import (
	"context"
	"errors"
	"fmt"

	"github.com/eatmoreapple/openwechat"
)

// Texts the adapter itself says, in Chinese and English. The core's texts
// live in bot/i18n; these answer the adapter's own commands (认领, 合并).
var texts = map[string][2]string{
	"help.member": {"\n认领 旧昵称 — 改名后找回自己原来的记录", "\n/claim OLDNAME — take back your record after a rename"},
	"help.admin":  {"\n合并 旧昵称 新昵称 — 把改名成员的旧记录合并到新昵称", "\n/merge OLD NEW — join a renamed member's old record to their new name"},
	"claim.usage": {
		"用法：认领 旧昵称 —— 把你改名前的记录（积分、等级、签到）找回到现在的你名下。",
		"Usage: /claim OLDNAME — moves the record you had under your old name (points, level, check-ins) to you.",
	},
	"claim.none": {
		"没有找到可以认领的「%s」的记录（正在群里的成员和已退群的成员不能被认领；请管理员使用 合并）。",
		"No record named \"%s\" can be claimed (members who are in the group now or who left cannot be claimed; ask an admin to /merge).",
	},
	"claim.self": {"「%s」就是你现在的记录。", "\"%s\" is already your record."},
	"claim.ambiguous": {
		"有多条叫「%s」的记录：%s。请用编号认领，例如：认领 %s",
		"Several records are named \"%s\": %s. Claim one by its id, e.g. /claim %s",
	},
	"claim.ok": {
		"✅ %s 已认领之前「%s」的记录（编号 %s），积分和等级都在。",
		"✅ %s now has the record of \"%s\" (id %s) back, with its points and level.",
	},
	"merge.usage": {
		"用法：合并 旧昵称 新昵称 —— 把改名成员的旧记录合并到他现在的身份（仅管理员）。",
		"Usage: /merge OLDNAME NEWNAME — gives a renamed member their old record (admins only).",
	},
	"merge.denied":   {"只有管理员可以合并成员记录。", "Only admins can merge member records."},
	"merge.nolive":   {"群里没有找到现在叫「%s」的成员。", "Nobody in the group is called \"%s\" now."},
	"merge.manylive": {"群里有多位成员叫「%s」，请先让他们设置不同的群昵称。", "Several members are called \"%s\"; ask them to set different group nicknames first."},
	"merge.none":     {"没有找到「%s」的旧记录。", "No old record named \"%s\"."},
	"merge.present":  {"「%s」的记录属于一位正在群里的成员，不能合并。", "The record \"%s\" belongs to a member who is in the group now; it cannot be merged."},
	"merge.ok": {
		"✅ 已把「%s」（编号 %s）的记录合并给 %s。",
		"✅ The record of \"%s\" (id %s) now belongs to %s.",
	},
	"ambiguous.hint": {
		"提示：群里有多位成员叫「%s」，Pulse 无法分辨你们的历史记录。请设置不同的群昵称，然后用 认领 找回旧记录。",
		"Note: several members are called \"%s\", so Pulse cannot tell your histories apart. Please set different group nicknames, then /claim your old record.",
	},
}

// tr returns the text key in locale ("zh" or anything else for English).
func tr(locale, key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	f := t[1]
	if locale == "zh" {
		f = t[0]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// Retcodes of the WeChat web protocol that end or slow a session.
const (
	retLoginWarn   = 1100
	retLoggedOut   = 1101
	retCookie      = 1102
	retEnvAbnormal = 1203
	retTooOften    = 1205
)

// retOf returns the protocol retcode inside err, 0 if none.
func retOf(err error) int {
	var ret openwechat.Ret
	if errors.As(err, &ret) {
		return int(ret)
	}
	return 0
}

// loggedOut reports whether err says the session is over for good, so its
// cookies must not be reused.
func loggedOut(err error) bool {
	switch retOf(err) {
	case retLoginWarn, retLoggedOut, retCookie, retEnvAbnormal:
		return true
	}
	return errors.Is(err, openwechat.ErrUserLogout)
}

// explain says in English and Chinese why a session ended or a login failed.
func explain(err error) string {
	switch code := retOf(err); code {
	case retLoginWarn:
		return "1100: WeChat ended the web session (logged in elsewhere, or kicked) / 微信结束了网页会话（在别处登录或被踢下线）"
	case retLoggedOut:
		return "1101: logged out, on the phone or by WeChat / 已退出登录（手机上退出或被微信下线）"
	case retCookie:
		return "1102: the session's cookies are no longer valid / 会话凭证已失效"
	case retEnvAbnormal:
		return "1203: WeChat refuses web login for this account (login environment abnormal); use another account / 该账号被拒绝网页登录（登录环境异常），请换一个账号"
	case retTooOften:
		return "1205: operating too often, WeChat is limiting this account / 操作太频繁，微信正在限制该账号"
	case 0:
	default:
		return fmt.Sprintf("%d: WeChat error %v / 微信错误码 %d", code, err, code)
	}
	switch {
	case err == nil:
		return "the session ended without a reason / 会话结束（无原因）"
	case errors.Is(err, openwechat.ErrUserLogout):
		return "logged out by Pulse / Pulse 主动退出登录"
	case errors.Is(err, openwechat.ErrLoginTimeout):
		return "the QR code expired before it was scanned / 二维码在扫描前已过期"
	case errors.Is(err, openwechat.ErrForbidden):
		return "WeChat forbids this account to log in / 微信禁止该账号登录: " + err.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "stopped / 已停止"
	case openwechat.IsNetworkError(err):
		return "network error / 网络错误: " + err.Error()
	}
	return err.Error()
}

// HelpLines are the adapter's own commands, for the core's help answer.
func HelpLines(locale string, admin bool) string {
	h := tr(locale, "help.member")
	if admin {
		h += tr(locale, "help.admin")
	}
	return h
}
