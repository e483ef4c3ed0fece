package extract

import "slices"

// A double array (Aoe's) lays a trie out in two arrays: the child of the node in slot n
// by a byte of class c is in slot base[n]+c, if check of that slot is n. A walk costs
// two reads a byte, and a trie of a few thousand keys fits in a few hundred kilobytes.
// The word index (cuewords.go) and the gazetteer walk one from many positions of every
// sentence.

// byteClasses numbers the bytes the keys hold, 1 up, in the order they first come (0: a
// byte no key holds); an upper-case ASCII letter takes its lower-case letter's class,
// for keys written in lower case and walked by either case.
func byteClasses(keys []string) (class [256]int32, classes int32) {
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			if class[k[i]] == 0 {
				classes++
				class[k[i]] = classes
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		class[b] = class[b+'a'-'A']
	}
	return class, classes
}

// doubleArray numbers the bytes of keys (byteClasses) and places their trie in a double
// array, level by level, so that the shallow nodes most walks end in share a
// few kilobytes. It returns base and check per slot (the root is slot 0; a free slot's
// check is -1), with room for a child of every class of every node, and the slot each
// key ends in.
func doubleArray(keys []string) (class [256]int32, classes int32, base, check, ends []int32) {
	class, classes = byteClasses(keys)
	cols := int(classes) + 1
	kids := make([]int32, cols) // trie node*cols + class -> child node, 0 none
	ends = make([]int32, len(keys))
	for id, k := range keys {
		n := 0
		for i := 0; i < len(k); i++ {
			t := n*cols + int(class[k[i]])
			if kids[t] == 0 {
				kids[t] = int32(len(kids) / cols)
				kids = append(kids, make([]int32, cols)...)
			}
			n = int(kids[t])
		}
		ends[id] = int32(n) // a trie node, made a slot below
	}
	sl := slots{check: []int32{-1}, skip: []int32{1}}
	slotOf := make([]int32, len(kids)/cols) // trie node -> slot
	base = []int32{0}
	var cs []int32
	for queue := []int32{0}; len(queue) > 0; queue = queue[1:] {
		n := queue[0]
		cs = cs[:0]
		for c, k := range kids[int(n)*cols : int(n+1)*cols] {
			if k != 0 {
				cs = append(cs, int32(c))
			}
		}
		if len(cs) == 0 {
			continue
		}
		b := sl.place(cs)
		for len(base) < len(sl.check) {
			base = append(base, 0)
		}
		base[slotOf[n]] = b
		for _, c := range cs {
			k := kids[int(n)*cols+int(c)]
			slotOf[k] = b + c
			sl.check[b+c] = slotOf[n]
			queue = append(queue, k)
		}
	}
	// Every walk reads slot base+class for any class: let the arrays hold them all.
	for top := int(slices.Max(base)) + cols; len(sl.check) < top; {
		sl.check = append(sl.check, -1)
	}
	for len(base) < len(sl.check) {
		base = append(base, 0)
	}
	for id, n := range ends {
		ends[id] = slotOf[n]
	}
	return class, classes, base, sl.check, ends
}

// slots is a double array's check as it is filled: skip[i] leads from a taken slot i
// towards the next free one (each taken slot's link is shortened as it is read).
type slots struct {
	check []int32
	skip  []int32
}

// freeFrom returns the first free slot at or after i (len(check) when all are taken).
func (s *slots) freeFrom(i int32) int32 {
	r := i
	for int(r) < len(s.check) && s.check[r] != -1 {
		r = s.skip[r]
	}
	for int(i) < len(s.check) && i != r && s.check[i] != -1 {
		i, s.skip[i] = s.skip[i], r
	}
	return r
}

// place returns a base for a node whose children have the classes cs, in order: one at
// which every child's slot is free and none is the root's, growing the array as needed.
func (s *slots) place(cs []int32) int32 {
	for f := s.freeFrom(max(1, cs[0]+1)); ; f = s.freeFrom(f + 1) {
		base := f - cs[0]
		for int(base+cs[len(cs)-1]) >= len(s.check) {
			s.skip = append(s.skip, int32(len(s.check))+1)
			s.check = append(s.check, -1)
		}
		if !slices.ContainsFunc(cs[1:], func(c int32) bool { return s.check[base+c] != -1 }) {
			return base
		}
	}
}
