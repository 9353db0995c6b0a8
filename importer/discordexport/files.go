package discordexport

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
)

// source is one open file.
type source interface {
	next() (*message, error)
	consumed() int64
	close() error
}

type file struct {
	path   string
	size   int64
	src    source
	json   *jsonFile // nil for CSV
	group  string
	noXP   bool  // the channel earns no XP
	last   int64 // consumed bytes already counted in progress
	prevT  int64 // time of the previous message, for the order check
	back   int64 // messages earlier than the one before them
	closed bool
}

// open opens a file of either kind and works out its group.
func open(path string, bufSize int, o Options, b *bot.Bot) (*file, error) {
	kind, err := sniff(path)
	if err != nil {
		return nil, err
	}
	f := &file{path: path}
	if kind == "csv" {
		if o.Group == "" {
			return nil, &importer.FileError{File: path, Offset: -1, Msg: "a CSV export carries no guild id: pass -group discord/<guild id>"}
		}
		loc := o.CSVLocation
		if loc == nil {
			loc = b.Group(o.Group).Location
		}
		c, err := openCSV(path, loc, o.CSVLayout)
		if err != nil {
			return nil, err
		}
		f.src, f.size, f.group = c, c.Size, o.Group
		return f, nil
	}
	j, err := openJSON(path, bufSize, time.UTC)
	if err != nil {
		return nil, err
	}
	f.src, f.json, f.size = j, j, j.size
	switch {
	case j.guildID != "" && o.Group != "" && "discord/"+j.guildID != o.Group:
		j.close()
		return nil, &importer.FileError{File: path, Offset: -1, Msg: fmt.Sprintf("the export is of guild %s (%s), not %s", j.guildID, j.guildName, o.Group)}
	case j.guildID != "":
		f.group = "discord/" + j.guildID
	case o.Group != "":
		f.group = o.Group
	default:
		j.close()
		return nil, &importer.FileError{File: path, Offset: -1, Msg: "no guild id before the messages: pass -group discord/<guild id>"}
	}
	return f, nil
}

// sniff tells JSON from CSV by the first byte that is not white space.
func sniff(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		if err == io.EOF {
			return "", &importer.FileError{File: path, Offset: 0, Msg: "empty file"}
		}
		return "", err
	}
	b := bytes.TrimPrefix(buf[:n], []byte{0xEF, 0xBB, 0xBF})
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return "", &importer.FileError{File: path, Offset: 0, Msg: "empty file"}
	}
	if b[0] == '{' {
		return "json", nil
	}
	return "csv", nil
}
