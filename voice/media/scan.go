package media

import (
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of values we skip (unknown fields), so a
// message of ten thousand '[' costs nothing and cannot exhaust the stack.
const maxDepth = 16

// scanner reads one JSON text by RFC 8259's grammar, more strictly than
// encoding/json: strings must be valid UTF-8 with no lone surrogates and
// nesting is bounded. A hand-written scanner because the hot path is one
// small, fixed-shape message every 20 ms per call: encoding/json would
// allocate every string and the payload's base64 text; this returns
// strings without escapes as slices of the input and unescapes the rare
// others into tmp (valid until the next string).
type scanner struct {
	b   []byte
	i   int
	tmp []byte
}

func (s *scanner) reset(b []byte) {
	s.b = b
	s.i = 0
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// open consumes c ('{' or '[').
func (s *scanner) open(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// member moves through an opened object or array: it consumes the ','
// before every member but the first, or the closing byte, and reports
// whether a member follows. A trailing comma fails later, where a key or
// value is expected.
func (s *scanner) member(closing byte, first bool) (more, ok bool) {
	c := s.peek()
	if c == closing {
		s.i++
		return false, true
	}
	if first {
		return true, s.i < len(s.b)
	}
	if c == ',' {
		s.i++
		return true, true
	}
	return false, false
}

// key reads an object key and its ':'.
func (s *scanner) key() ([]byte, bool) {
	k, ok := s.str()
	if !ok || s.peek() != ':' {
		return nil, false
	}
	s.i++
	return k, true
}

// end reports whether only whitespace is left.
func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// str reads a string and returns its contents, unescaped.
func (s *scanner) str() ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	s.i++
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			return v, true
		case c == '\\':
			return s.strEscaped(start)
		case c < 0x20:
			return nil, false
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, n := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && n == 1 {
				return nil, false
			}
			s.i += n
		}
	}
	return nil, false
}

func (s *scanner) strEscaped(start int) ([]byte, bool) {
	s.tmp = append(s.tmp[:0], s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.tmp, true
		case c == '\\':
			if s.i+1 >= len(s.b) {
				return nil, false
			}
			e := s.b[s.i+1]
			s.i += 2
			switch e {
			case '"', '\\', '/':
				s.tmp = append(s.tmp, e)
			case 'b':
				s.tmp = append(s.tmp, '\b')
			case 'f':
				s.tmp = append(s.tmp, '\f')
			case 'n':
				s.tmp = append(s.tmp, '\n')
			case 'r':
				s.tmp = append(s.tmp, '\r')
			case 't':
				s.tmp = append(s.tmp, '\t')
			case 'u':
				r, ok := s.hex4()
				if !ok {
					return nil, false
				}
				if utf16.IsSurrogate(r) {
					// Only a high surrogate followed by an escaped low one.
					if r >= 0xDC00 || s.i+2 > len(s.b) || s.b[s.i] != '\\' || s.b[s.i+1] != 'u' {
						return nil, false
					}
					s.i += 2
					lo, ok := s.hex4()
					if !ok || lo < 0xDC00 || lo > 0xDFFF {
						return nil, false
					}
					r = utf16.DecodeRune(r, lo)
				}
				s.tmp = utf8.AppendRune(s.tmp, r)
			default:
				return nil, false
			}
		case c < 0x20:
			return nil, false
		case c < utf8.RuneSelf:
			s.tmp = append(s.tmp, c)
			s.i++
		default:
			r, n := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && n == 1 {
				return nil, false
			}
			s.tmp = append(s.tmp, s.b[s.i:s.i+n]...)
			s.i += n
		}
	}
	return nil, false
}

func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	s.i += 4
	return r, true
}

// number reads a JSON number and returns its text.
func (s *scanner) number() ([]byte, bool) {
	s.ws()
	b, start := s.b, s.i
	i := s.i
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return nil, false
		}
	}
	s.i = i
	return b[start:i], true
}

// literal consumes word (true, false, null).
func (s *scanner) literal(word string) bool {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		return false
	}
	s.i += len(word)
	return true
}

// skip reads any value, for fields we do not know.
func (s *scanner) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch s.peek() {
	case '"':
		_, ok := s.str()
		return ok
	case '{':
		s.i++
		for first := true; ; first = false {
			more, ok := s.member('}', first)
			if !ok {
				return false
			}
			if !more {
				return true
			}
			if _, ok := s.key(); !ok || !s.skip(depth+1) {
				return false
			}
		}
	case '[':
		s.i++
		for first := true; ; first = false {
			more, ok := s.member(']', first)
			if !ok {
				return false
			}
			if !more {
				return true
			}
			if !s.skip(depth + 1) {
				return false
			}
		}
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		_, ok := s.number()
		return ok
	}
}

// uint reads a non-negative integer written as Twilio writes its
// counters, a string of digits ("42"), or as a plain JSON integer (42).
// ok is false when the JSON itself is malformed; valid is false when the
// value is not an integer that fits a uint64.
func (s *scanner) uint() (n uint64, ok, valid bool) {
	var text []byte
	if s.peek() == '"' {
		text, ok = s.str()
	} else {
		text, ok = s.number()
	}
	if !ok {
		return 0, false, false
	}
	n, valid = parseDigits(text)
	return n, true, valid
}

func parseDigits(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}
