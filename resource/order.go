package resource

import (
	"encoding/binary"
	"slices"
)

// A flush sorts its steps by record (byRecord) before it makes them.
// Compared in full, that is some ten thousand comparisons of ids for a
// stage's thousand tasks, ids whose first twenty bytes (namespace,
// cluster, request) are all the same: 5 % of a stage's write. So each step
// gets a word instead: its type's tree, the five bytes of its id that come
// after the prefix its type's steps share, and its place. The words sort
// as integers. Steps whose words tie on tree and bytes (ids that differ
// only further on, or steps of one record) are then put in byRecord's
// order among themselves.

// The bits of a word, from the top: the tree, the id's bytes, the place.
const (
	wordTree  = 8
	wordBytes = 5
	wordPlace = 64 - wordTree - 8*wordBytes
)

// sortSteps sorts steps as slices.SortFunc(steps, byRecord) does, with
// words as its buffer, which it returns for the next.
func sortSteps(steps []step, words []uint64) []uint64 {
	// A few steps (a single write's) are sorted sooner than their words
	// are made; and a place of all ones would be a word permute marks done.
	if len(steps) < 32 || len(steps) >= 1<<wordPlace {
		slices.SortFunc(steps, byRecord)
		return words
	}
	var shared prefixes
	for _, s := range steps {
		if s.l.ids >= 1<<wordTree {
			slices.SortFunc(steps, byRecord)
			return words
		}
		shared.add(s)
	}
	words = words[:0]
	for i, s := range steps {
		var b [8]byte
		if n := shared.length(s.l.ids); n < len(s.id) {
			copy(b[:wordBytes], s.id[n:])
		}
		key := binary.BigEndian.Uint64(b[:]) >> (64 - 8*wordBytes)
		words = append(words, uint64(s.l.ids)<<(64-wordTree)|key<<wordPlace|uint64(i))
	}
	slices.Sort(words)
	place := func(w uint64) int { return int(w & (1<<wordPlace - 1)) }
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && words[j]>>wordPlace == words[i]>>wordPlace {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(words[i:j], func(a, b uint64) int { return byRecord(steps[place(a)], steps[place(b)]) })
		}
		i = j
	}
	permute(steps, words, place)
	return words
}

// permute puts steps in the order of words, whose places name the steps,
// in place: it follows each cycle of the permutation, and marks the
// words it has done.
func permute(steps []step, words []uint64, place func(uint64) int) {
	const done = ^uint64(0)
	for i := range words {
		if words[i] == done {
			continue
		}
		first := steps[i]
		j := i
		for {
			k := place(words[j])
			words[j] = done
			if k == i {
				steps[j] = first
				break
			}
			steps[j], j = steps[k], k
		}
	}
}

// prefixes are the lengths of the prefixes the ids of each type's steps
// share. A flush holds steps of a few types: a list searched from the
// last one found serves.
type prefixes struct {
	of   []prefix
	last int
}

// prefix is the length of the prefix the ids of one type's steps share,
// its first id's.
type prefix struct {
	tree  int
	first []byte
	n     int
}

func (p *prefixes) add(s step) {
	x := p.find(s.l.ids)
	if x == nil {
		p.of = append(p.of, prefix{s.l.ids, s.id, len(s.id)})
		p.last = len(p.of) - 1
		return
	}
	n, k := min(x.n, len(s.id)), 0
	for k < n && x.first[k] == s.id[k] {
		k++
	}
	x.n = k
}

// length is the length of the prefix a type's steps share.
func (p *prefixes) length(tree int) int { return p.find(tree).n }

func (p *prefixes) find(tree int) *prefix {
	if p.last < len(p.of) && p.of[p.last].tree == tree {
		return &p.of[p.last]
	}
	for i := range p.of {
		if p.of[i].tree == tree {
			p.last = i
			return &p.of[i]
		}
	}
	return nil
}
