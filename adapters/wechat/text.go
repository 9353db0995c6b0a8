package wechat

import (
	"context"
	"errors"
	"fmt"

	"github.com/eatmoreapple/openwechat"

	"github.com/pulsebot/pulse/bot/i18n"
)

// tr formats one of the adapter's own texts (bot/i18n, under "wechat.") in
// a locale; unknown locales read English.
func tr(locale, key string, args ...any) string {
	return i18n.T(locale, "wechat."+key, args...)
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
