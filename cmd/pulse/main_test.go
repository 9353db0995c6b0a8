package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/store"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs one command line in-process and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb syncBuffer
	code = pulse(context.Background(), &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: os.Getenv}, args)
	return code, out.String(), errb.String()
}

const transcript = `[2026-03-01 09:00] alice: 签到
[2026-03-01 09:01] bob: hello everyone, nice to meet you
[2026-03-01 09:02] alice: /grant @bob 5 welcome
[2026-03-02 09:00] alice: 签到
`

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 1000), 0o600)
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("db: x.db\ndefaults:\n  timezone: Mars/Base\n"), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", nil, 2, "Usage: pulse COMMAND"},
		{"help", []string{"help"}, 0, "Commands:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"bad flag", []string{"members", "-nope"}, 2, "flag provided but not defined"},
		{"missing group", []string{"members", "-db", garbage}, 2, "-group is required"},
		{"stray argument", []string{"backup", "-o", "x", "extra"}, 2, `unexpected argument "extra"`},
		{"missing db", []string{"members", "-db", filepath.Join(dir, "nope.db"), "-group", "console/demo"}, 1, "no such file"},
		{"corrupt db", []string{"members", "-db", garbage, "-group", "console/demo"}, 1, "not a Pulse database"},
		{"bad zone", []string{"console", "-db", filepath.Join(dir, "c.db"), "-tz", "Mars/Base"}, 2, "not an IANA time zone"},
		{"bad lang", []string{"console", "-db", filepath.Join(dir, "c.db"), "-lang", "fr"}, 2, "want zh or en"},
		{"bad config", []string{"console", "-config", badCfg}, 1, "bad.yaml:3"},
		{"missing config", []string{"run", "-config", filepath.Join(dir, "none.yaml")}, 1, "no such file"},
		{"backup needs -o", []string{"backup", "-db", garbage}, 2, "-o is required"},
		{"version", []string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, errs)
			}
			if !strings.Contains(out+errs, tt.msg) {
				t.Errorf("output %q lacks %q", out+errs, tt.msg)
			}
		})
	}
}

func TestConsoleMembersBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	code, out, errs := run(t, transcript+"nonsense line\n", "console", "-db", db, "-tz", "Asia/Shanghai", "-lang", "en", "-admins", "alice")
	if code != 0 {
		t.Fatalf("console exit %d: %s", code, errs)
	}
	for _, want := range []string{"pulse: ✅ alice checked in, 1st today!", "pulse: ✅ alice granted 5 points to bob (welcome)", "streak 2 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "line 5:") {
		t.Errorf("stderr does not report the bad line: %q", errs)
	}

	code, out, errs = run(t, "", "members", "-db", db, "-group", "console/demo", "-json")
	if code != 0 {
		t.Fatalf("members exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("members -json: %v\n%s", err, out)
	}
	if len(rows) != 2 {
		t.Fatalf("members: %d rows, want 2: %s", len(rows), out)
	}
	byName := map[string]map[string]any{}
	for _, r := range rows {
		for _, k := range []string{"id", "name", "points", "xp", "level", "streak", "checkins", "messages"} {
			if _, ok := r[k]; !ok {
				t.Errorf("row lacks %q: %v", k, r)
			}
		}
		byName[r["name"].(string)] = r
	}
	if a := byName["alice"]; a["points"].(float64) != 21 || a["checkins"].(float64) != 2 || a["messages"].(float64) != 3 {
		t.Errorf("alice = %v", a)
	}
	if b := byName["bob"]; b["points"].(float64) != 5 || b["xp"].(float64) < 15 || b["xp"].(float64) > 25 {
		t.Errorf("bob = %v", b)
	}

	code, out, _ = run(t, "", "members", "-db", db, "-group", "console/demo")
	if code != 0 || !strings.Contains(out, "NAME") || !strings.Contains(out, "alice") {
		t.Errorf("members table (exit %d):\n%s", code, out)
	}
	code, _, errs = run(t, "", "members", "-db", db, "-group", "console/other")
	if code != 1 || !strings.Contains(errs, "console/demo") {
		t.Errorf("unknown group: exit %d, %s", code, errs)
	}

	bak := filepath.Join(dir, "backup.db")
	if code, _, errs = run(t, "", "backup", "-db", db, "-o", bak); code != 0 {
		t.Fatalf("backup exit %d: %s", code, errs)
	}
	if code, _, errs = run(t, "", "backup", "-db", db, "-o", bak); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("backup over an existing file: exit %d %s", code, errs)
	}
	code, out, _ = run(t, "", "members", "-db", bak, "-group", "console/demo", "-json")
	if code != 0 || !strings.Contains(out, `"alice"`) {
		t.Errorf("backup does not hold the members (exit %d): %s", code, out)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	bdb.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket([]byte("meta"))
		b.Put([]byte("magic"), []byte("pulse"))
		return b.Put([]byte("schema"), []byte{0, 0, 0, 99})
	})
	bdb.Close()
	code, _, errs := run(t, "", "members", "-db", path, "-group", "console/demo")
	if code != 1 || !strings.Contains(errs, "newer Pulse") || !strings.Contains(errs, "upgrade") {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "alice: 签到\n", "console", "-db", path)
	if code != 1 || !strings.Contains(errs, "newer Pulse") {
		t.Errorf("console on a newer file: exit %d: %s", code, errs)
	}
}

// TestRunServesOperatorCommands starts `pulse run`, which holds the file,
// and checks that members and backup go through its control socket, and
// that a second bot is refused quickly with a clear message.
func TestRunServesOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	cfg := filepath.Join(dir, "pulse.yaml")
	os.WriteFile(cfg, []byte("db: "+db+"\nconsole:\n  group: club\n  admins: [alice]\n"), 0o600)

	inR, inW := io.Pipe()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- pulse(context.Background(), &env{stdin: inR, stdout: &out, stderr: &errb, getenv: os.Getenv}, []string{"run", "-config", cfg})
	}()
	io.WriteString(inW, transcript)
	waitFor(t, func() bool { return strings.Count(out.String(), "pulse: ✅") >= 3 }, &out)

	code, mout, merr := run(t, "", "members", "-db", db, "-group", "console/club", "-json")
	if code != 0 || !strings.Contains(mout, `"alice"`) {
		t.Fatalf("members through the socket: exit %d %s %s", code, mout, merr)
	}
	// stats, digest and export through the socket too.
	if code, sout, serr := run(t, "", "stats", "-db", db, "-group", "console/club", "-at", "2026-03-02", "-json"); code != 0 || !strings.Contains(sout, `"previous"`) {
		t.Errorf("stats through the socket: exit %d %s %s", code, sout, serr)
	}
	if code, dout, derr := run(t, "", "digest", "-db", db, "-group", "console/club", "-week", "2026-W09"); code != 0 || !strings.Contains(dout, "2026-W09") {
		t.Errorf("digest through the socket: exit %d %s %s", code, dout, derr)
	}
	if code, xout, xerr := run(t, "", "export", "-db", db, "-group", "console/club", "-format", "csv"); code != 0 || !strings.HasPrefix(xout, "date,") {
		t.Errorf("export through the socket: exit %d %s %s", code, xout, xerr)
	}
	bak := filepath.Join(dir, "live-backup.db")
	if code, _, berr := run(t, "", "backup", "-db", db, "-o", bak); code != 0 {
		t.Fatalf("backup through the socket: exit %d %s", code, berr)
	}
	code, _, cerr := run(t, "bob: hi\n", "console", "-db", db)
	if code != 1 || !strings.Contains(cerr, "in use by another process") {
		t.Errorf("second writer: exit %d %s", code, cerr)
	}

	io.WriteString(inW, "[2026-03-02 09:05] bob: /checkin\n")
	inW.Close()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("run exit %d: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after its input ended")
	}
	// Everything acknowledged is in the file, and so in the backup taken live.
	for _, path := range []string{db, bak} {
		s, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := bot.New(s, bot.Options{}).Members(context.Background(), "console/club", time.Now())
		s.Close()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%s: %v %v", path, rows, err)
		}
	}
	if _, err := os.Stat(db + ".sock"); !os.IsNotExist(err) {
		t.Errorf("control socket left behind: %v", err)
	}
}

func waitFor(t *testing.T, cond func() bool, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out; output so far:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRunStopsOnSignal: SIGINT/SIGTERM cancel the context; the bot stops
// with everything acknowledged on disk and the socket removed.
func TestRunStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	cfg := filepath.Join(dir, "pulse.yaml")
	os.WriteFile(cfg, []byte("db: "+db+"\n"), 0o600)
	inR, inW := io.Pipe()
	defer inW.Close()
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- pulse(ctx, &env{stdin: inR, stdout: &out, stderr: &errb, getenv: os.Getenv}, []string{"run", "-config", cfg})
	}()
	io.WriteString(inW, "alice: /checkin\n")
	waitFor(t, func() bool { return strings.Contains(out.String(), "checked in") }, &out)
	cancel() // what SIGTERM does
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop on cancel")
	}
	code, mout, _ := run(t, "", "members", "-db", db, "-group", "console/demo", "-json")
	if code != 0 || !strings.Contains(mout, `"checkins": 1`) {
		t.Errorf("after stop: exit %d %s", code, mout)
	}
}

func TestStatsDigestExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	tr := `[2026-03-02 09:00] +alice
[2026-03-02 09:01] +bob
[2026-03-02 09:05] alice: hello
[2026-03-03 09:00] bob > alice: hi!
[2026-03-09 10:00] alice: /checkin
`
	if code, _, errs := run(t, tr, "console", "-db", db); code != 0 {
		t.Fatalf("console: %s", errs)
	}
	code, out, errs := run(t, "", "stats", "-db", db, "-group", "console/demo", "-at", "2026-03-09", "-days", "7", "-json")
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, errs)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"members", "dau", "wau", "mau", "stickiness", "messages", "messages_per_active", "interaction_rate",
		"new_members", "left_members", "net_members", "activation", "retention_wow", "silent_members", "silent_ratio", "churn_risk", "checkin_rate"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("stats -json lacks %q", k)
		}
		if _, ok := rep["previous"].(map[string]any)[k]; !ok {
			t.Errorf("stats -json previous lacks %q", k)
		}
	}
	if rep["members"].(float64) != 2 || rep["wau"].(float64) != 2 || rep["messages"].(float64) != 2 {
		t.Errorf("stats = %v", rep)
	}
	if code, out, _ = run(t, "", "stats", "-db", db, "-group", "console/demo", "-at", "2026-03-09"); code != 0 || !strings.Contains(out, "📊 Stats") {
		t.Errorf("stats text: %d %s", code, out)
	}

	png := filepath.Join(dir, "week.png")
	code, out, errs = run(t, "", "digest", "-db", db, "-group", "console/demo", "-week", "2026-W10", "-png", png)
	if code != 0 || !strings.Contains(out, "2026-W10") || strings.Contains(out, "For owners only") {
		t.Fatalf("digest exit %d: %s %s", code, out, errs)
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("chart: %v", err)
	}
	if code, out, _ = run(t, "", "digest", "-db", db, "-group", "console/demo", "-week", "2026-W10", "-private"); code != 0 || !strings.Contains(out, "For owners only") {
		t.Errorf("digest -private: %d %s", code, out)
	}

	code, out, _ = run(t, "", "export", "-db", db, "-group", "console/demo", "-format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || !strings.HasPrefix(lines[0], "date,members,dau,wau,mau,messages") || !strings.HasPrefix(lines[1], "2026-03-02,2,1,") {
		t.Errorf("export csv: %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "export", "-db", db, "-group", "console/demo", "-format", "json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) < 8 {
		t.Errorf("export json: %d %s", code, out)
	}

	for _, bad := range [][]string{
		{"stats", "-db", db, "-group", "console/demo", "-at", "yesterday"},
		{"stats", "-db", db, "-group", "console/demo", "-days", "0"},
		{"digest", "-db", db, "-group", "console/demo", "-week", "2026-47"},
		{"export", "-db", db, "-group", "console/demo", "-format", "xlsx"},
	} {
		if code, _, _ := run(t, "", bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
