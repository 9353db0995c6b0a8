// Package control lets operator commands reach a running Pulse. bbolt
// lets one process open the database file, so while `pulse run` holds it,
// the CLI asks the bot over a unix socket beside the file instead.
//
// The protocol is one JSON request line from the client; the server
// answers with length-prefixed chunks of payload, an empty chunk, and a
// JSON status line, so an error half-way through a stream is reported
// rather than passed off as a short result.
package control

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SocketPath is where the socket of a database file lives: beside it,
// or, when that path is too long for a unix socket (about 108 bytes), in
// the temporary directory under a name derived from the file's absolute
// path, so the bot and the CLI still find the same one.
func SocketPath(db string) string {
	p := db + ".sock"
	if len(p) < 100 {
		return p
	}
	abs, err := filepath.Abs(db)
	if err != nil {
		abs = db
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "pulse-"+hex.EncodeToString(sum[:8])+".sock")
}

// Handler serves one operation, writing its payload to w.
type Handler func(ctx context.Context, args json.RawMessage, w io.Writer) error

type request struct {
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args,omitempty"`
}

type status struct {
	Error string `json:"error,omitempty"`
}

// Server answers operator requests.
type Server struct {
	ln       net.Listener
	path     string
	handlers map[string]Handler
	log      *slog.Logger
	wg       sync.WaitGroup
}

// Listen creates the socket, readable and writable by its owner only. A
// socket left behind by a crashed process is replaced; one that answers
// is not.
func Listen(path string, handlers map[string]Handler, log *slog.Logger) (*Server, error) {
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return nil, fmt.Errorf("control socket %s: another Pulse is serving it", path)
	}
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	return &Server{ln: ln, path: path, handlers: handlers, log: log}, nil
}

// Serve answers requests until ctx ends, then removes the socket.
func (s *Server) Serve(ctx context.Context) {
	go func() {
		<-ctx.Done()
		s.ln.Close()
	}()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			break
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.serve(ctx, conn)
		}()
	}
	s.wg.Wait()
	_ = os.Remove(s.path)
}

func (s *Server) serve(ctx context.Context, conn net.Conn) {
	r := bufio.NewReader(io.LimitReader(conn, 1<<20))
	line, err := r.ReadBytes('\n')
	if err != nil {
		return
	}
	var req request
	cw := &chunkWriter{w: bufio.NewWriter(conn)}
	var herr error
	if err := json.Unmarshal(line, &req); err != nil {
		herr = fmt.Errorf("bad request: %v", err)
	} else if h, ok := s.handlers[req.Op]; !ok {
		herr = fmt.Errorf("unknown operation %q", req.Op)
	} else {
		herr = h(ctx, req.Args, cw)
	}
	st := status{}
	if herr != nil {
		st.Error = herr.Error()
		s.log.Warn("control request failed", "op", req.Op, "err", herr)
	}
	if cw.err != nil {
		return // the client went away
	}
	cw.end()
	b, _ := json.Marshal(st)
	cw.w.Write(append(b, '\n'))
	cw.w.Flush()
}

type chunkWriter struct {
	w   *bufio.Writer
	err error
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	total := len(p)
	for len(p) > 0 {
		n := min(len(p), 1<<20)
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], uint32(n))
		if _, c.err = c.w.Write(hdr[:]); c.err != nil {
			return 0, c.err
		}
		if _, c.err = c.w.Write(p[:n]); c.err != nil {
			return 0, c.err
		}
		p = p[n:]
	}
	return total, nil
}

func (c *chunkWriter) end() { c.w.Write([]byte{0, 0, 0, 0}) }

// ErrNoServer means nothing answers on the socket.
var ErrNoServer = errors.New("no running Pulse answers")

// Call sends one request and copies the payload to w.
func Call(ctx context.Context, path, op string, args any, w io.Writer) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return fmt.Errorf("%w on %s: %v", ErrNoServer, path, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return fmt.Errorf("control %s: %w", op, err)
	}
	b, _ := json.Marshal(request{Op: op, Args: raw})
	if _, err := conn.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("control %s: %w", op, err)
	}
	r := bufio.NewReader(conn)
	for {
		var hdr [4]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return fmt.Errorf("control %s: answer cut short: %w", op, err)
		}
		n := binary.BigEndian.Uint32(hdr[:])
		if n == 0 {
			break
		}
		if _, err := io.CopyN(w, r, int64(n)); err != nil {
			return fmt.Errorf("control %s: %w", op, err)
		}
	}
	line, err := r.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("control %s: answer cut short: %w", op, err)
	}
	var st status
	if err := json.Unmarshal(line, &st); err != nil {
		return fmt.Errorf("control %s: bad status: %w", op, err)
	}
	if st.Error != "" {
		return errors.New(st.Error)
	}
	return nil
}
