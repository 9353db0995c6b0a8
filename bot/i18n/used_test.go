package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// literals collects every string literal in the non-test Go files under
// dirs (recursively).
func literals(t *testing.T, dirs ...string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "i18n" {
				return filepath.SkipDir // the catalog itself
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						seen[s] = true
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return seen
}

// Every key is named by a call site outside the catalog: whole, as a
// literal, or built from a literal prefix and a literal tail ("m."+metric,
// "lang."+locale).
func TestCatalogUsed(t *testing.T) {
	lits := literals(t, "../../bot", "../../adapters", "../../demo", "../../cmd")
	named := func(k string) bool {
		if lits[k] {
			return true
		}
		for i := range len(k) {
			if k[i] == '.' && lits[k[:i+1]] && lits[k[i+1:]] {
				return true
			}
		}
		return false
	}
	for _, key := range Keys() {
		used := named(key)
		for _, a := range areas {
			if k, ok := strings.CutPrefix(key, a.prefix); ok && a.prefix != "" && named(k) {
				used = true
			}
		}
		if !used {
			t.Errorf("%s: no call site names it", key)
		}
	}
}
