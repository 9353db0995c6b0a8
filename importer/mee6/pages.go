package mee6

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/pulsebot/pulse/importer"
)

// ID is a Discord id written as a JSON string or number.
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s is neither a string nor a number", b)
	}
	*id = ID(n.String())
	return nil
}

// Page is one leaderboard page.
type Page struct {
	Guild *struct {
		ID   ID     `json:"id"`
		Name string `json:"name"`
	} `json:"guild"`
	Page        *int         `json:"page"`
	Players     []Player     `json:"players"`
	RoleRewards []RoleReward `json:"role_rewards"`
}

// Player is one member on the leaderboard.
type Player struct {
	ID           ID      `json:"id"`
	Username     string  `json:"username"`
	GuildID      ID      `json:"guild_id"`
	XP           int64   `json:"xp"`
	Level        int     `json:"level"`
	MessageCount int64   `json:"message_count"`
	DetailedXP   []int64 `json:"detailed_xp"`
}

// RoleReward is a role MEE6 gives at a level.
type RoleReward struct {
	Rank   *int `json:"rank"`
	Level  *int `json:"level"`
	RoleID ID   `json:"role_id"`
	Role   *struct {
		ID   ID     `json:"id"`
		Name string `json:"name"`
	} `json:"role"`
}

// readPages reads one file: a page object or an array of pages.
func readPages(path string) ([]Page, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, &importer.FileError{File: path, Offset: 0, Msg: "empty file"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var pages []Page
	if trimmed[0] == '[' {
		err = dec.Decode(&pages)
	} else {
		var p Page
		err = dec.Decode(&p)
		pages = []Page{p}
	}
	if err != nil {
		return nil, jsonErr(path, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &importer.FileError{File: path, Offset: dec.InputOffset(), Line: lineAt(data, dec.InputOffset()), Msg: "data after the leaderboard"}
	}
	for i, p := range pages {
		if p.Players == nil {
			where := ""
			if len(pages) > 1 {
				where = fmt.Sprintf("page %d: ", i+1)
			}
			return nil, &importer.FileError{File: path, Offset: -1, Msg: where + "no \"players\" array: not a MEE6 leaderboard page"}
		}
	}
	return pages, nil
}

func jsonErr(path string, data []byte, err error) error {
	off := int64(-1)
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
		err = fmt.Errorf("%s must be %s, not %s", e.Field, e.Type, e.Value)
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		off = int64(len(data))
		err = fmt.Errorf("unexpected end of file: the file is truncated")
	}
	fe := &importer.FileError{File: path, Offset: off, Msg: "malformed MEE6 leaderboard: " + err.Error()}
	if off >= 0 {
		fe.Line = lineAt(data, off)
	}
	return fe
}

func lineAt(data []byte, off int64) int64 {
	off = min(max(off, 0), int64(len(data)))
	return int64(bytes.Count(data[:off], []byte{'\n'})) + 1
}
