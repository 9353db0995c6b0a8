package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCallServe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.sock")
	big := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // > one chunk
	srv, err := Listen(path, map[string]Handler{
		"echo": func(_ context.Context, args json.RawMessage, w io.Writer) error {
			_, err := w.Write(args)
			return err
		},
		"big": func(_ context.Context, _ json.RawMessage, w io.Writer) error {
			_, err := w.Write(big)
			return err
		},
		"fail": func(_ context.Context, _ json.RawMessage, w io.Writer) error {
			io.WriteString(w, "partial")
			return errors.New("disk on fire")
		},
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx); close(done) }()

	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if _, err := Listen(path, nil, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "another Pulse") {
		t.Errorf("second Listen on a live socket: %v", err)
	}

	tests := []struct {
		op      string
		args    any
		want    []byte
		wantErr string
	}{
		{"echo", map[string]string{"group": "console/demo"}, []byte(`{"group":"console/demo"}`), ""},
		{"big", nil, big, ""},
		{"fail", nil, []byte("partial"), "disk on fire"},
		{"nope", nil, nil, `unknown operation "nope"`},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := Call(context.Background(), path, tt.op, tt.args, &buf)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.op, err, tt.wantErr)
			}
		} else if err != nil {
			t.Errorf("%s: %v", tt.op, err)
		}
		if !bytes.Equal(buf.Bytes(), tt.want) {
			t.Errorf("%s: payload of %d bytes, want %d", tt.op, buf.Len(), len(tt.want))
		}
	}
	cancel()
	<-done
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("socket not removed: %v", err)
	}
	if err := Call(context.Background(), path, "echo", nil, io.Discard); !errors.Is(err, ErrNoServer) {
		t.Errorf("call without server: %v", err)
	}
}

func TestStaleSocketReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stale.sock")
	os.WriteFile(path, nil, 0o600) // left behind by a crash
	srv, err := Listen(path, map[string]Handler{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv.Serve(ctx)
}

func TestSocketPath(t *testing.T) {
	if got := SocketPath("/srv/pulse.db"); got != "/srv/pulse.db.sock" {
		t.Errorf("short path: %s", got)
	}
	long := "/" + strings.Repeat("deep/", 30) + "pulse.db"
	p := SocketPath(long)
	if len(p) >= 100 || !strings.HasPrefix(p, os.TempDir()) || SocketPath(long) != p {
		t.Errorf("long path: %s", p)
	}
	// A socket at that path really listens.
	srv, err := Listen(p, map[string]Handler{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv.Serve(ctx)
}
