package wechatcsv

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/importer"
)

// row is one CSV record.
type row struct {
	typ, sub  int
	isSender  bool
	t         time.Time
	content   string
	nick      string
	sender    string
	line      int64
	recordNum int
}

type file struct {
	*importer.CSV
	loc    *time.Location
	n      int
	r      row
	last   int64
	closed bool
}

func open(path string, loc *time.Location) (*file, error) {
	base, err := importer.OpenCSV(path)
	if err != nil {
		return nil, err
	}
	w := &file{CSV: base, loc: loc}
	for _, want := range []string{"type", "createtime", "strcontent"} {
		if _, ok := w.Cols[want]; !ok {
			w.Close()
			return nil, &importer.FileError{File: path, Line: 1, Offset: -1,
				Msg: fmt.Sprintf("no %s column: not a WeChatMsg (留痕) CSV export (want localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender)", want)}
		}
	}
	_, nick := w.Cols["nickname"]
	_, sender := w.Cols["sender"]
	if !nick && !sender {
		w.Close()
		return nil, &importer.FileError{File: path, Line: 1, Offset: -1,
			Msg: "no NickName or Sender column: the export does not say who sent each message (export the group chat with a WeChatMsg version that writes Remark,NickName,Sender)"}
	}
	return w, nil
}

// next returns the next row, nil at the end; errors with Record set
// concern that row only.
func (w *file) next() (*row, error) {
	rec, err := w.R.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, w.Err(err)
	}
	w.n++
	line, _ := w.R.FieldPos(0)
	r := &w.r
	*r = row{line: int64(line), recordNum: w.n}
	bad := func(format string, args ...any) error {
		return &importer.FileError{File: w.Path, Line: r.line, Offset: -1, Msg: fmt.Sprintf("record %d: ", w.n) + fmt.Sprintf(format, args...), Record: true}
	}
	if len(rec) < len(w.Cols) {
		return nil, bad("%d fields, want %d", len(rec), len(w.Cols))
	}
	if r.typ, err = strconv.Atoi(strings.TrimSpace(w.Field(rec, "type"))); err != nil {
		return nil, bad("Type %q is not a number", w.Field(rec, "type"))
	}
	if s := strings.TrimSpace(w.Field(rec, "subtype")); s != "" {
		r.sub, _ = strconv.Atoi(s)
	}
	r.isSender = strings.TrimSpace(w.Field(rec, "issender")) == "1"
	ct := strings.TrimSpace(w.Field(rec, "createtime"))
	if n, err := strconv.ParseInt(ct, 10, 64); err == nil && n > 0 {
		if n > 1e11 { // milliseconds
			r.t = time.UnixMilli(n).UTC()
		} else {
			r.t = time.Unix(n, 0).UTC()
		}
	} else if st := strings.TrimSpace(w.Field(rec, "strtime")); st != "" {
		t, err := time.ParseInLocation(time.DateTime, st, w.loc)
		if err != nil {
			return nil, bad("CreateTime %q is not unix seconds and StrTime %q is not like 2006-01-02 15:04:05", ct, st)
		}
		r.t = t
	} else {
		return nil, bad("CreateTime %q is not unix seconds", ct)
	}
	r.content = w.Field(rec, "strcontent")
	r.nick = strings.TrimSpace(w.Field(rec, "nickname"))
	r.sender = strings.TrimSpace(w.Field(rec, "sender"))
	return r, nil
}
