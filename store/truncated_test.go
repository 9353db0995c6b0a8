package store_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/store"
)

// Truncated files are opened in a child process: a bad mmap read is fatal.

const openChildEnv = "PULSE_STORE_OPEN_CHILD"

// TestOpenChild is run by TestOpenTruncated in a child process: it opens
// the file named in the environment and reads everything in it.
func TestOpenChild(t *testing.T) {
	path := os.Getenv(openChildEnv)
	if path == "" {
		t.Skip("helper for TestOpenTruncated")
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		fmt.Printf("RESULT open error: %v\n", err)
		return
	}
	n := 0
	err = db.View(func(tx *store.Tx) error {
		for _, key := range tx.Groups() {
			g, err := tx.Group(key)
			if err != nil {
				return err
			}
			if err := g.ForEachLedger(func(store.LedgerEntry) error { n++; return nil }); err != nil {
				return err
			}
			if err := g.ForEachMember(func(string, *store.Member) error { n++; return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		fmt.Printf("RESULT read error: %v\n", err)
		return
	}
	fmt.Printf("RESULT ok %d\n", n)
}

// TestOpenTruncated opens truncated copies of a real database. Each must
// give a clear error or open with readable data; it must never crash.
func TestOpenTruncated(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "pulse.db")
	db := openDB(t, src)
	for i := 0; i < 40; i++ {
		update(t, db, func(tx *store.Tx) error {
			g := wgroup(tx, "tg/1")
			for j := 0; j < 40; j++ {
				if err := g.AppendLedger(store.LedgerEntry{Member: "m" + strconv.Itoa(j), Delta: int64(i), Note: strings.Repeat("x", 50)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	db.Close()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 64<<10 {
		t.Fatalf("source database only %d bytes", len(data))
	}
	// Where the data ends, from bbolt's active meta page, so the cuts below
	// land in the same places on every run. A cut that leaves a page the
	// meta refers to past the end of the file, but inside the memory map
	// bbolt makes (the file size rounded up to a power of two, at least
	// 32 KiB), is a read of a mapped page beyond EOF: a SIGBUS, every time.
	psz, freelist, hwm := activeMeta(t, data)
	inMap := -1
	for n := freelist * psz; n >= 2*psz; n -= psz {
		if mapSize(n) >= (freelist+1)*psz {
			inMap = n
			break
		}
	}
	if inMap < 0 {
		t.Fatalf("no cut leaves the freelist page (%d) inside the map; file %d bytes", freelist, len(data))
	}
	cuts := []struct {
		name string
		n    int
	}{
		{"100 bytes", 100},
		{"one page", psz},
		{"inside the data, missing pages still mapped", inMap},
		{"in the middle of a page inside the data", inMap - psz/2},
		{"only unused pages after the data", hwm * psz},
	}
	for _, c := range cuts {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cut.db")
			if err := os.WriteFile(path, data[:c.n], 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestOpenChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), openChildEnv+"="+path)
			out, err := cmd.CombinedOutput()
			var result string
			for _, line := range strings.Split(string(out), "\n") {
				if r, ok := strings.CutPrefix(line, "RESULT "); ok {
					result = r
				}
			}
			if err != nil || result == "" {
				first := string(out)
				if len(first) > 600 {
					first = first[:600]
				}
				t.Fatalf("opening a file truncated to %d of %d bytes crashed the process (%v):\n%s", c.n, len(data), err, first)
			}
			if strings.HasPrefix(result, "ok") {
				t.Logf("truncated to %d bytes: opened and read (%s)", c.n, result)
				return
			}
			if !strings.Contains(result, path) {
				t.Errorf("error %q does not name the file", result)
			}
			t.Logf("truncated to %d bytes: %s", c.n, result)
		})
	}
}

// activeMeta reads the page size, freelist page and high-water mark from
// the newer of a bbolt file's two meta pages (page header 16 bytes, then
// magic, version, page size, flags u32; root u64 u64; freelist, pgid, txid u64).
func activeMeta(t *testing.T, data []byte) (psz, freelist, hwm int) {
	t.Helper()
	var txid uint64
	for p := 0; p < 2; p++ {
		if len(data) < 64 {
			t.Fatal("file too small for a meta page")
		}
		m := data[p*4096+16:]
		if binary.NativeEndian.Uint32(m) != 0xED0CDAED {
			t.Fatalf("meta page %d: bad magic", p)
		}
		if id := binary.NativeEndian.Uint64(m[48:]); p == 0 || id > txid {
			txid = id
			psz = int(binary.NativeEndian.Uint32(m[8:]))
			freelist = int(binary.NativeEndian.Uint64(m[32:]))
			hwm = int(binary.NativeEndian.Uint64(m[40:]))
		}
	}
	if psz != 4096 {
		t.Fatalf("page size %d; the cuts assume 4096", psz)
	}
	return psz, freelist, hwm
}

// mapSize is the size bbolt maps for a file of n bytes (below 1 GiB).
func mapSize(n int) int {
	for i := 15; i <= 30; i++ {
		if n <= 1<<i {
			return 1 << i
		}
	}
	return n
}
