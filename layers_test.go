package pulse_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/pulsebot/pulse"

// rule forbids packages under from (a directory prefix, "" for all) to
// import packages under to, in non-test files or, with tests set, in test
// files too.
type rule struct {
	from, to string
	tests    bool
	why      string
	except   []string // importers the rule does not cover
}

// The intended direction: adapters → bot → store; calendar and codec are
// leaves that anyone may use; nothing below imports above.
var rules = []rule{
	{from: "", to: "store", why: "only the core knows the store", except: []string{"bot", "store", "cmd"}},
	{from: "bot", to: "adapters", tests: true, why: "the core imports no platform"},
	{from: "bot", to: "config", why: "the core is configured by its host"},
	{from: "bot", to: "schedule", why: "the scheduler calls the core, not the reverse"},
	{from: "bot", to: "importer", why: "importers call the core, not the reverse"},
	{from: "bot", to: "demo", why: "the demo calls the core, not the reverse"},
	{from: "store", to: "bot", tests: true, why: "the store is below the core"},
	{from: "store", to: "config", why: "the store is below the config"},
	{from: "calendar", to: "", tests: true, why: "calendar is a leaf"},
	{from: "codec", to: "", tests: true, why: "codec is a leaf"},
	{from: "config", to: "bot", why: "config is the generic engine; sections belong to their owners"},
	{from: "config", to: "adapters", why: "each adapter owns its section"},
	{from: "", to: "cmd", tests: true, why: "the binary is the top"},
}

// TestImportDirection fails when a package imports against the intended
// direction, or an adapter imports another adapter.
func TestImportDirection(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		test := strings.HasSuffix(path, "_test.go")
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			rel, ok := strings.CutPrefix(p, module+"/")
			if !ok {
				continue
			}
			for _, r := range rules {
				if (r.tests || !test) && under(dir, r.from) && under(rel, r.to) && !under(rel, dir) && !excepted(dir, r.except) {
					t.Errorf("%s imports %s: %s", path, rel, r.why)
				}
			}
			if a, b := adapter(dir), adapter(rel); a != "" && b != "" && a != b {
				t.Errorf("%s imports %s: adapters never import each other", path, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// under reports whether dir is pkg or inside it ("" contains everything).
func under(dir, pkg string) bool {
	return pkg == "" || dir == pkg || strings.HasPrefix(dir, pkg+"/")
}

func excepted(dir string, except []string) bool {
	for _, e := range except {
		if under(dir, e) {
			return true
		}
	}
	return false
}

// adapter names the platform a directory belongs to ("" outside adapters).
func adapter(dir string) string {
	rest, ok := strings.CutPrefix(dir, "adapters/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

func TestLayerHelpers(t *testing.T) {
	tests := []struct {
		dir, pkg string
		want     bool
	}{
		{"store", "store", true},
		{"store/x", "store", true},
		{"storefront", "store", false},
		{"bot", "", true},
		{"adapters/discord/discordtest", "adapters", true},
	}
	for _, tt := range tests {
		if got := under(tt.dir, tt.pkg); got != tt.want {
			t.Errorf("under(%q, %q) = %v, want %v", tt.dir, tt.pkg, got, tt.want)
		}
	}
	for dir, want := range map[string]string{"adapters/discord/discordtest": "discord", "adapters/wechat": "wechat", "bot": ""} {
		if got := adapter(dir); got != want {
			t.Errorf("adapter(%q) = %q, want %q", dir, got, want)
		}
	}
}
