package clinicmodel

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A template is a sentence pattern: words, alternatives "(a|b|c)",
// optional parts "[a b]" or "[a|b]" and slots "{day}" filled from a table of
// templates. Expanding one picks alternatives at random, so sampling a
// template many times gives a spread of sentences.
type node interface {
	expand(r *rand.Rand, slots map[string][]*seq, depth int, out []string) ([]string, error)
}

type seq struct{ items []node }

type word string

type alt struct{ choices []*seq }

type opt struct{ body *seq }

type slot string

func (s *seq) expand(r *rand.Rand, slots map[string][]*seq, depth int, out []string) ([]string, error) {
	var err error
	for _, it := range s.items {
		if out, err = it.expand(r, slots, depth, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (w word) expand(_ *rand.Rand, _ map[string][]*seq, _ int, out []string) ([]string, error) {
	return append(out, string(w)), nil
}

func (a alt) expand(r *rand.Rand, slots map[string][]*seq, depth int, out []string) ([]string, error) {
	return a.choices[r.IntN(len(a.choices))].expand(r, slots, depth, out)
}

func (o opt) expand(r *rand.Rand, slots map[string][]*seq, depth int, out []string) ([]string, error) {
	if r.IntN(2) == 0 {
		return out, nil
	}
	return o.body.expand(r, slots, depth, out)
}

func (s slot) expand(r *rand.Rand, slots map[string][]*seq, depth int, out []string) ([]string, error) {
	if depth > 8 {
		return nil, fmt.Errorf("slot {%s}: slots nest too deep", string(s))
	}
	fills := slots[string(s)]
	if len(fills) == 0 {
		return nil, fmt.Errorf("slot {%s} has no fillers", string(s))
	}
	return fills[r.IntN(len(fills))].expand(r, slots, depth+1, out)
}

// parseTemplate parses one template.
func parseTemplate(src string) (*seq, error) {
	p := &parser{src: src}
	s, err := p.seq(0)
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", src, err)
	}
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("template %q: unexpected %q at %d", src, p.src[p.pos], p.pos)
	}
	return s, nil
}

type parser struct {
	src string
	pos int
}

// seq reads items until a closing bracket or '|' (left for the caller).
func (p *parser) seq(depth int) (*seq, error) {
	if depth > 16 {
		return nil, fmt.Errorf("brackets nest too deep")
	}
	s := &seq{}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t':
			p.pos++
		case c == ')' || c == ']' || c == '|' || c == '}':
			return s, nil
		case c == '(' || c == '[':
			p.pos++
			closing := byte(')')
			if c == '[' {
				closing = ']'
			}
			var a alt
			for {
				choice, err := p.seq(depth + 1)
				if err != nil {
					return nil, err
				}
				a.choices = append(a.choices, choice)
				if p.pos >= len(p.src) {
					return nil, fmt.Errorf("unclosed %q", c)
				}
				if p.src[p.pos] == '|' {
					p.pos++
					continue
				}
				if p.src[p.pos] != closing {
					return nil, fmt.Errorf("unexpected %q in %q", p.src[p.pos], c)
				}
				p.pos++
				break
			}
			if c == '[' {
				s.items = append(s.items, opt{&seq{items: []node{a}}})
			} else {
				s.items = append(s.items, a)
			}
		case c == '{':
			end := strings.IndexByte(p.src[p.pos:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed '{'")
			}
			name := p.src[p.pos+1 : p.pos+end]
			if name == "" {
				return nil, fmt.Errorf("empty slot name")
			}
			s.items = append(s.items, slot(name))
			p.pos += end + 1
		default:
			start := p.pos
			for p.pos < len(p.src) && !strings.ContainsRune(" \t()[]{}|", rune(p.src[p.pos])) {
				p.pos++
			}
			s.items = append(s.items, word(p.src[start:p.pos]))
		}
	}
	return s, nil
}
