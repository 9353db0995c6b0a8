package wechatcsv

import (
	"html"
	"strings"
)

// quote reads a type 49/57 quote-reply's XML: the reply's text (<title>)
// and the quoted member's name (<refermsg><displayname>).
func quote(x string) (title, quoted string, ok bool) {
	if !strings.Contains(x, "<") {
		return x, "", x != ""
	}
	if t, found := element(x, "title"); found {
		title, ok = t, true
	}
	if i := strings.Index(x, "<refermsg>"); i >= 0 {
		ref := x[i:]
		if j := strings.Index(ref, "</refermsg>"); j >= 0 {
			ref = ref[:j]
		}
		if d, found := element(ref, "displayname"); found {
			quoted = strings.TrimSpace(d)
		}
	}
	return title, quoted, ok
}

// element returns the text of the first <name>…</name> in x, unescaped.
func element(x, name string) (string, bool) {
	open, end := "<"+name+">", "</"+name+">"
	i := strings.Index(x, open)
	if i < 0 {
		return "", false
	}
	rest := x[i+len(open):]
	j := strings.Index(rest, end)
	if j < 0 {
		return "", false
	}
	v := rest[:j]
	if s, ok := strings.CutPrefix(v, "<![CDATA["); ok {
		return strings.TrimSuffix(s, "]]>"), true
	}
	return html.UnescapeString(v), true
}
