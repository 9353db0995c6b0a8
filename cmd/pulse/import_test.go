package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The import command is wired into main.go's table by the maintainer;
// until then the tests add it themselves.

const (
	discordData = "../../importer/discordexport/testdata/"
	mee6Data    = "../../importer/mee6/testdata/"
	wechatData  = "../../importer/wechatcsv/testdata/"
)

func membersJSON(t *testing.T, db, group string) map[string]map[string]any {
	t.Helper()
	code, out, errs := run(t, "", "members", "-db", db, "-group", group, "-json")
	if code != 0 {
		t.Fatalf("members exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("members -json: %v\n%s", err, out)
	}
	m := map[string]map[string]any{}
	for _, r := range rows {
		m[r["id"].(string)] = r
	}
	return m
}

func TestImportUsage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	csvFile := discordData + "Pulse Lab - Text Channels - general [201].csv"
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no format", []string{"import"}, 2, "which format?"},
		{"help", []string{"import", "-h"}, 0, "Formats:"},
		{"format help", []string{"import", "discord-export", "-h"}, 0, "-skip-bad"},
		{"unknown format", []string{"import", "slack"}, 2, `unknown format "slack"`},
		{"no files", []string{"import", "discord-export", "-db", db}, 2, "no files to import"},
		{"missing file", []string{"import", "discord-export", "-db", db, filepath.Join(dir, "nope.json")}, 1, "no such file"},
		{"directory", []string{"import", "discord-export", "-db", db, dir}, 2, "is a directory"},
		{"bad flag", []string{"import", "discord-export", "-nope", discordData + "general.json"}, 2, "flag provided but not defined"},
		{"bad group", []string{"import", "discord-export", "-db", db, "-group", "wechat/x", discordData + "general.json"}, 2, "want discord/<guild id>"},
		{"csv needs group", []string{"import", "discord-export", "-db", db, csvFile}, 2, "pass -group discord/<guild id>"},
		{"bad zone", []string{"import", "discord-export", "-db", db, "-tz", "Mars/Base", discordData + "general.json"}, 2, "not an IANA time zone"},
		{"mee6 needs group", []string{"import", "mee6", "-db", db, mee6Data + "page0.json"}, 2, "-group is required"},
		{"mee6 mode", []string{"import", "mee6", "-db", db, "-group", "discord/111", "-mode", "min", mee6Data + "page0.json"}, 2, `-mode "min"`},
		{"wechat needs group", []string{"import", "wechat-csv", "-db", db, wechatData + "group.csv"}, 2, "-group is required"},
		{"foreign file", []string{"import", "wechat-csv", "-db", db, "-group", "g", discordData + "general.json"}, 1, "not a WeChatMsg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stdout %s; stderr: %s", code, tt.code, out, errs)
			}
			if !strings.Contains(out+errs, tt.msg) {
				t.Errorf("output lacks %q:\n%s%s", tt.msg, out, errs)
			}
		})
	}
	if _, err := os.Stat(db); err == nil {
		// Only "foreign file" may have opened it; it must hold no group.
		code, _, errs := run(t, "", "members", "-db", db, "-group", "wechat/g")
		if code == 0 {
			t.Errorf("a refused import created a group: %s", errs)
		}
	}
}

func TestImportDiscordCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pulse.db")
	// Flags after the files work too.
	code, out, errs := run(t, "", "import", "discord-export", discordData+"general.json", discordData+"random.json", "-db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"discord-export → discord/111: 2 file(s)", "messages   10", "joins      2", "recorded   15 events"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	rows := membersJSON(t, db, "discord/111")
	if len(rows) != 5 || rows["502"]["messages"].(float64) != 3 || rows["502"]["name"] != "Bob" {
		t.Errorf("members: %v", rows)
	}

	// Again: nothing twice.
	code, out, _ = run(t, "", "import", "discord-export", "-db", db, discordData+"general.json", discordData+"random.json")
	if code != 0 || !strings.Contains(out, "recorded   0 events; 15 already imported before") {
		t.Errorf("re-import exit %d:\n%s", code, out)
	}
	if again := membersJSON(t, db, "discord/111"); !jsonEqual(rows, again) {
		t.Errorf("re-import changed members:\n%v\n%v", rows, again)
	}

	// The group keeps its zone: a different -tz is refused, changing nothing.
	code, _, errs = run(t, "", "import", "discord-export", "-db", db, "-tz", "Asia/Tokyo", discordData+"overlap.json")
	if code != 1 || !strings.Contains(errs, "keeps its days in UTC") {
		t.Errorf("-tz conflict: exit %d: %s", code, errs)
	}

	// CSV into the same guild, with its bot listed.
	code, out, errs = run(t, "", "import", "discord-export", "-db", db, "-group", "discord/111", "-bots", "900", discordData+"Pulse Lab - Text Channels - general [201].csv")
	if code != 0 || !strings.Contains(out, "messages   7") {
		t.Errorf("csv: exit %d\n%s%s", code, out, errs)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestImportResume: a truncated export stops with exit 1, its position
// and what was committed; the same command on the complete file resumes,
// and the result equals a clean import.
func TestImportResume(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	export := filepath.Join(dir, "general.json")
	full, err := os.ReadFile(discordData + "general.json")
	if err != nil {
		t.Fatal(err)
	}
	truncated, _ := os.ReadFile(discordData + "truncated.json")
	os.WriteFile(export, truncated, 0o600)

	code, out, errs := run(t, "", "import", "discord-export", "-db", db, export)
	if code != 1 {
		t.Fatalf("truncated: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"general.json: line 202 (byte 5076): unexpected end of file", "truncated", "4 events (3 messages) in 1 batch(es) were committed", "Running the same command again resumes safely"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "recorded   4 events") {
		t.Errorf("the summary does not say what was kept:\n%s", out)
	}

	// With -skip-bad the readable part is imported and the rest reported.
	code, out, errs = run(t, "", "import", "discord-export", "-db", db, "-skip-bad", export)
	if code != 0 || !strings.Contains(out, "the rest of this file (from there on) was skipped") || !strings.Contains(out, "4 already imported before") {
		t.Errorf("-skip-bad: exit %d\n%s%s", code, out, errs)
	}

	// The export completed (re-exported): the same command resumes.
	os.WriteFile(export, full, 0o600)
	code, out, errs = run(t, "", "import", "discord-export", "-db", db, export)
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s%s", code, out, errs)
	}
	clean := filepath.Join(dir, "clean.db")
	if code, _, errs := run(t, "", "import", "discord-export", "-db", clean, discordData+"general.json"); code != 0 {
		t.Fatalf("clean import: %s", errs)
	}
	// XP rolls are random (15–25) per process: compare them by count.
	a, b := membersJSON(t, db, "discord/111"), membersJSON(t, clean, "discord/111")
	rolls := map[string]float64{"501": 2, "502": 2, "503": 1}
	for id, m := range a {
		if xp := m["xp"].(float64); xp < 15*rolls[id] || xp > 25*rolls[id] {
			t.Errorf("member %s: XP %v is not %v rewarded messages", id, xp, rolls[id])
		}
		delete(m, "xp")
		delete(b[id], "xp")
	}
	if !jsonEqual(a, b) {
		t.Errorf("resumed import differs from a clean one:\n%v\n%v", a, b)
	}
}

func TestImportMEE6Command(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pulse.db")
	code, out, errs := run(t, "", "import", "mee6", "-db", db, "-group", "discord/111", mee6Data+"page0.json", mee6Data+"page1.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"5 player(s), mode replace", "quinn (511): 1000 XP is level 4 for Pulse, MEE6 says 6",
		"discord:\n  guild_settings:\n    \"111\":\n      role_rewards:\n        5: \"900\"  # Regular\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	rows := membersJSON(t, db, "discord/111")
	if r := rows["501"]; r["xp"].(float64) != 12345 || r["level"].(float64) != 15 || r["name"] != "alice" {
		t.Errorf("alice: %v", r)
	}
}

func TestImportWeChatCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pulse.db")
	code, out, errs := run(t, "", "import", "wechat-csv", "-db", db, "-group", "读书会", wechatData+"group.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "wechat-csv → wechat/读书会") || !strings.Contains(out, "(Asia/Shanghai)") {
		t.Errorf("summary:\n%s", out)
	}
	// Members get the WeChat adapter's stable ids, linked by nickname.
	byID := membersJSON(t, db, "wechat/读书会")
	rows := map[string]map[string]any{}
	for id, r := range byID {
		if !strings.HasPrefix(id, "u") {
			t.Errorf("member id %q is not a WeChat stable id", id)
		}
		rows[r["name"].(string)] = r
	}
	if r := rows["李四"]; r["messages"].(float64) != 3 || r["present"] != true {
		t.Errorf("李四: %v", r)
	}
	if r := rows["王五"]; r["present"] != false {
		t.Errorf("王五 was removed: %v", r)
	}
	// A bad row stops the import with its line; -skip-bad goes on.
	code, _, errs = run(t, "", "import", "wechat-csv", "-db", db, "-group", "读书会", wechatData+"group_bad.csv")
	if code != 1 || !strings.Contains(errs, `group_bad.csv: line 4: record 3: Type "text" is not a number`) {
		t.Errorf("bad row: exit %d: %s", code, errs)
	}
	code, out, _ = run(t, "", "import", "wechat-csv", "-db", db, "-group", "读书会", "-skip-bad", wechatData+"group_bad.csv")
	if code != 0 || !strings.Contains(out, "malformed records") {
		t.Errorf("-skip-bad: exit %d\n%s", code, out)
	}
}

// TestImportConfigAndBefore: the config's no-XP channels apply to the
// history, and -before leaves out what Pulse recorded live.
func TestImportConfigAndBefore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	cfg := filepath.Join(dir, "pulse.yaml")
	os.WriteFile(cfg, []byte("db: "+db+"\ndiscord:\n  guild_settings:\n    \"111\":\n      no_xp_channels: [\"202\"]\n"), 0o600)
	code, out, errs := run(t, "", "import", "discord-export", "-config", cfg, "-before", "2023-01-07 11:30", discordData+"general.json", discordData+"random.json")
	if code != 0 || !strings.Contains(out, "records at or after -before") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	rows := membersJSON(t, db, "discord/111")
	if d := rows["504"]; d["xp"].(float64) != 0 || d["messages"].(float64) != 1 {
		t.Errorf("dave (only in the no-XP channel, one message before the cutoff): %v", d)
	}
	if code, _, errs := run(t, "", "import", "wechat-csv", "-db", db, "-group", "g", "-before", "yesterday", wechatData+"group.csv"); code != 2 || !strings.Contains(errs, `-before "yesterday"`) {
		t.Errorf("bad -before: exit %d: %s", code, errs)
	}
	code, out, errs = run(t, "", "import", "wechat-csv", "-db", db, "-group", "g", "-before", "2023-01-07", wechatData+"group.csv")
	if code != 0 || !strings.Contains(out, "2023-01-06 to 2023-01-06 (Asia/Shanghai)") {
		t.Errorf("wechat -before: exit %d\n%s%s", code, out, errs)
	}
}
