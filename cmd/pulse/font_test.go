package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/config"
)

// TestWarnNoCJKFont: without a CJK font, a Chinese group's chart falls back
// to English and start-up says so once, with the fix.
func TestWarnNoCJKFont(t *testing.T) {
	font := filepath.Join(t.TempDir(), "cjk.ttc")
	os.WriteFile(font, []byte("font"), 0o644)
	tests := []struct {
		name  string
		yaml  string
		fonts bool // the system's folders hold one
		want  string
	}{
		{"zh group, no font", "groups:\n  wechat/club: {}\n  wechat/other: {}\n", false, "groups=\"[wechat/club wechat/other]\""},
		{"zh defaults, console", "defaults:\n  locale: zh\n", false, "groups=[console/demo]"},
		{"zh group, system font", "groups:\n  wechat/club: {}\n", true, ""},
		{"zh group, digest.font", "groups:\n  wechat/club:\n    digest:\n      font: " + font + "\n", false, ""},
		{"zh group, digest off", "groups:\n  wechat/club:\n    digest:\n      enabled: false\n", false, ""},
		{"en only", "groups:\n  discord/1: {}\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			find := findCJKFont
			defer func() { findCJKFont = find }()
			findCJKFont = func(extra string) string {
				if extra != "" {
					return extra
				}
				if tt.fonts {
					return "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
				}
				return ""
			}
			path := filepath.Join(t.TempDir(), "pulse.yaml")
			os.WriteFile(path, []byte(tt.yaml), 0o600)
			cfg, err := loadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			warnNoCJKFont(newLogger(&buf, config.LogConfig{Level: "info", Format: "text"}), cfg)
			out := buf.String()
			if tt.want == "" {
				if out != "" {
					t.Errorf("logged %q, want nothing", out)
				}
				return
			}
			if strings.Count(out, "\n") != 1 || !strings.Contains(out, "level=WARN") || !strings.Contains(out, "fonts-noto-cjk") ||
				!strings.Contains(out, "digest.font") || !strings.Contains(out, tt.want) {
				t.Errorf("logged %q, want one warning naming fonts-noto-cjk, digest.font and %s", out, tt.want)
			}
		})
	}
}

// TestRunWarnsOnceWithoutCJKFont: `pulse run` warns at start, once.
func TestRunWarnsOnceWithoutCJKFont(t *testing.T) {
	find := findCJKFont
	defer func() { findCJKFont = find }()
	findCJKFont = func(string) string { return "" }
	dir := t.TempDir()
	cfg := filepath.Join(dir, "pulse.yaml")
	os.WriteFile(cfg, []byte("db: "+filepath.Join(dir, "pulse.db")+"\ndefaults:\n  locale: zh\n"), 0o600)
	code, _, errs := run(t, "alice: 签到\n", "run", "-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if n := strings.Count(errs, "no CJK font found"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, errs)
	}
}
