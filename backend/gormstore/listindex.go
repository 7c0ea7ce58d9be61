package gormstore

import (
	"cmp"
	"slices"
	"sync"
)

// What the in-memory list indexes (tenantindex.go, peopleindex.go) share: the positions of
// their rows in each order a list is sorted by, and a trigram index for substring search.
// Rows are held in the database's name order, so that the order the database's collation
// gives is kept; the other orders are of keys that sort the same in every collation.

// ordered is one order of an index's rows: the positions in that order, and each
// position's place in it.
type ordered struct {
	list []int32
	rank []int32
}

// orders holds an index's orders by sort and direction, each made when first asked for.
type orders struct {
	mu sync.Mutex
	m  map[string]*ordered
}

// get returns the order of n rows by key, descending when asked, ties by id ascending (as
// listOrder orders the database). "name" is the rows' own order, by key then id.
func (o *orders) get(sort string, desc bool, n int, key, id func(a, b int32) int) *ordered {
	name := sort
	if desc {
		name += " desc"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if got := o.m[name]; got != nil {
		return got
	}
	list := make([]int32, n)
	for i := range list {
		list[i] = int32(i)
	}
	if sort != "name" {
		slices.SortFunc(list, func(a, b int32) int { return cmp.Or(key(a, b), id(a, b)) })
	}
	if desc {
		// The runs of equal keys in reverse, each run still by id ascending.
		out := make([]int32, 0, n)
		for end := n; end > 0; {
			start := end - 1
			for start > 0 && key(list[start-1], list[end-1]) == 0 {
				start--
			}
			out = append(out, list[start:end]...)
			end = start
		}
		list = out
	}
	made := &ordered{list: list, rank: make([]int32, n)}
	for i, p := range list {
		made.rank[p] = int32(i)
	}
	if o.m == nil {
		o.m = map[string]*ordered{}
	}
	o.m[name] = made
	return made
}

// sortedBy returns positions (in name order) in the order o.
func sortedBy(positions []int32, o *ordered) []int32 {
	out := slices.Clone(positions)
	slices.SortFunc(out, func(a, b int32) int { return cmp.Compare(o.rank[a], o.rank[b]) })
	return out
}

// trigrams maps each byte trigram to the positions whose texts hold it, ascending.
type trigrams map[uint32][]int32

func trigram(s string) uint32 { return uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2]) }

// add adds position p (not below any added before) for text s.
func (g trigrams) add(p int32, s string) {
	for j := 0; j+3 <= len(s); j++ {
		t := trigram(s[j:])
		if l := g[t]; len(l) == 0 || l[len(l)-1] != p {
			g[t] = append(l, p)
		}
	}
}

// search returns the positions among n whose texts hold q (holds tells), ascending. The
// result may be g's own list: it must not be changed.
func (g trigrams) search(q string, n int, holds func(p int32) bool) []int32 {
	if len(q) < 3 {
		var out []int32
		for p := range int32(n) {
			if holds(p) {
				out = append(out, p)
			}
		}
		return out
	}
	// The shortest posting list of q's trigrams holds every match; each is checked.
	var shortest []int32
	for j := 0; j+3 <= len(q); j++ {
		l := g[trigram(q[j:])]
		if len(l) == 0 {
			return nil
		}
		if shortest == nil || len(l) < len(shortest) {
			shortest = l
		}
	}
	if len(q) == 3 {
		return shortest // a text holds the trigram q exactly when it holds q
	}
	var out []int32
	for _, p := range shortest {
		if holds(p) {
			out = append(out, p)
		}
	}
	return out
}
