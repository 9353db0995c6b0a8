package wechat

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/eatmoreapple/openwechat"
	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// QRURL is the text of the login QR code for a login uuid.
func QRURL(uuid string) string { return "https://login.weixin.qq.com/l/" + uuid }

// fileStorage is openwechat's hot-reload storage, kept in a file that only
// its owner can read (it holds the session's cookies). openwechat's own
// file storage creates it world-readable. Each write replaces the file
// atomically; a storage object is read once, at login.
type fileStorage struct {
	path string

	mu     sync.Mutex
	r      *bytes.Reader
	last   []byte
	closed bool
}

func newFileStorage(path string) *fileStorage { return &fileStorage{path: path} }

func (f *fileStorage) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.r == nil {
		data, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) || err == nil && len(data) == 0 {
			return 0, openwechat.ErrInvalidStorage
		}
		if err != nil {
			return 0, fmt.Errorf("read wechat login file: %w", err)
		}
		f.r = bytes.NewReader(data)
	}
	return f.r.Read(p)
}

// Write replaces the file's content with p (openwechat writes a whole
// session with each call).
func (f *fileStorage) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || bytes.Equal(p, f.last) {
		return len(p), nil
	}
	if err := writeFile0600(f.path, p); err != nil {
		return 0, fmt.Errorf("write wechat login file: %w", err)
	}
	f.last = append(f.last[:0], p...)
	return len(p), nil
}

// close makes later writes do nothing (openwechat's goroutine may outlive
// the session by a poll), after any write under way.
func (f *fileStorage) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
}

// writeFile0600 writes data to path atomically, readable by its owner only.
func writeFile0600(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// showQR draws the login QR code in the terminal and writes it as a PNG.
func (a *Adapter) showQR(uuid string) {
	text := QRURL(uuid)
	w := a.o.qrOut
	fmt.Fprintf(w, "\n扫码登录微信 · Scan with WeChat to log in Pulse (%s):\n", text)
	qrterminal.GenerateWithConfig(text, qrterminal.Config{
		Level: qrterminal.L, Writer: w, HalfBlocks: true, QuietZone: 2,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE,
	})
	png, err := qrPNG(text)
	if err == nil {
		err = writeFile0600(a.cfg.QRFile, png)
	}
	if err != nil {
		a.log.Error("cannot write the login QR code", "file", a.cfg.QRFile, "err", err)
		return
	}
	a.log.Warn("login needed: scan the QR code with the bot account's WeChat",
		"png", a.cfg.QRFile, "url", text)
}

// qrPNG encodes text as a QR code PNG.
func qrPNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	code.Scale = 8
	return code.PNG(), nil
}
