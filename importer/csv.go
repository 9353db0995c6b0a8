package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"sync/atomic"
)

// CSV is a CSV export opened for streaming: a UTF-8 byte-order mark is
// skipped, the header row is read into Cols, and the bytes read so far
// are counted for the progress bar.
type CSV struct {
	Path string
	F    *os.File
	Size int64
	R    *csv.Reader    // reuses its record slice between reads
	Cols map[string]int // lower-cased, trimmed header name → column
	read atomic.Int64
}

// OpenCSV opens path and reads its header; an empty file is a FileError.
func OpenCSV(path string) (*CSV, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	c := &CSV{Path: path, F: f, Size: st.Size()}
	br := bufio.NewReaderSize(countingReader{f, &c.read}, 256<<10)
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	c.R = csv.NewReader(br)
	c.R.FieldsPerRecord = -1
	c.R.ReuseRecord = true
	head, err := c.R.Read()
	if err != nil {
		f.Close()
		if err == io.EOF {
			return nil, &FileError{File: path, Line: 1, Offset: -1, Msg: "empty file"}
		}
		return nil, c.Err(err)
	}
	c.Cols = map[string]int{}
	for i, h := range head {
		c.Cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	return c, nil
}

// Consumed is how many bytes of the file have been read.
func (c *CSV) Consumed() int64 { return c.read.Load() }

// Close closes the file.
func (c *CSV) Close() error { return c.F.Close() }

// Err turns a read error into a FileError naming the file and line.
func (c *CSV) Err(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FileError{File: c.Path, Line: int64(pe.Line), Offset: -1, Msg: "malformed CSV: " + pe.Err.Error()}
	}
	return &FileError{File: c.Path, Offset: -1, Msg: "read: " + err.Error()}
}

// Field returns the named column of a record, "" if absent.
func (c *CSV) Field(rec []string, name string) string {
	if i, ok := c.Cols[name]; ok && i < len(rec) {
		return rec[i]
	}
	return ""
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
