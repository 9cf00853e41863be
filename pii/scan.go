package pii

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrMalformedInput is wrapped by the error Scan returns when one or more
// input lines could not be read.
var ErrMalformedInput = errors.New("malformed input")

type scanIn struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

type scanOut struct {
	ID       json.RawMessage `json:"id"`
	Entities []Entity        `json:"entities"`
}

type scanErr struct {
	ID    json.RawMessage `json:"id"`
	Error string          `json:"error"`
}

// Scan implements `frontdesk pii scan`: it reads JSON lines
// {"id":..., "text":...} from in and writes one JSON line per input line
// to out, {"id":..., "entities":[{"type","category","start","end","score"}]},
// offsets in code points, end exclusive. The id is echoed byte for byte, so
// string and number ids both survive.
//
// A malformed line (bad JSON, or no "text" string) does not stop the scan:
// it gets the line {"id":<id or null>,"error":"line N: ..."} so output
// lines stay one-to-one with input lines, and Scan returns an error
// wrapping ErrMalformedInput at the end that names the first bad line and
// the count. Blank lines are skipped without output. Scan stops early, with
// ctx.Err(), when ctx is cancelled, and returns write and read errors at
// once.
func Scan(ctx context.Context, d *Detector, in io.Reader, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64*1024)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	lineNo, bad := 0, 0
	var firstBad error
	for {
		if err := ctx.Err(); err != nil {
			w.Flush()
			return err
		}
		line, readErr := r.ReadBytes('\n')
		if len(line) > 0 {
			lineNo++
			if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
				var rec any
				var lineErr error
				rec, lineErr = scanLine(d, trimmed, lineNo)
				if lineErr != nil {
					bad++
					if firstBad == nil {
						firstBad = lineErr
					}
				}
				if err := enc.Encode(rec); err != nil {
					return fmt.Errorf("pii scan: write: %w", err)
				}
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			w.Flush()
			return fmt.Errorf("pii scan: read line %d: %w", lineNo+1, readErr)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("pii scan: write: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("pii scan: %d malformed line(s), first: %w", bad, firstBad)
	}
	return nil
}

func scanLine(d *Detector, line []byte, lineNo int) (any, error) {
	var in scanIn
	if err := json.Unmarshal(line, &in); err != nil {
		e := fmt.Errorf("line %d: %w: %v", lineNo, ErrMalformedInput, err)
		// Keep the id when only the text was wrong ({"id":7,"text":5}).
		id := json.RawMessage("null")
		var idOnly struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(line, &idOnly) == nil && len(idOnly.ID) > 0 {
			id = idOnly.ID
		}
		return scanErr{ID: id, Error: e.Error()}, e
	}
	id := in.ID
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	if in.Text == nil {
		e := fmt.Errorf("line %d: %w: missing \"text\" string", lineNo, ErrMalformedInput)
		return scanErr{ID: id, Error: e.Error()}, e
	}
	ents := d.Detect(*in.Text)
	if ents == nil {
		ents = []Entity{}
	}
	return scanOut{ID: id, Entities: ents}, nil
}
