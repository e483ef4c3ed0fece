package extract

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"
)

// The words of every litSet, found in one pass per sentence.
//
// Hundreds of cues gate on their own word sets, and each set scanned the same sentence
// again for its words. A wordIndex holds every word of every litSet the package builds
// in one trie over their bytes; sentenceWords.read walks it once per sentence and keeps
// where each word occurs and which sets that makes occur at all. A set asked about that
// sentence, or its lower-cased copy when the copy is byte for byte the sentence
// lower-cased, answers from that list; any other string (a gap, a window, a part of the
// sentence) is scanned as before. The answers are those of litSet.next: a word occurs
// at p when the sentence's bytes from p, ASCII letters lower-cased, spell it, and a set
// of wordStart words takes only positions no ASCII word byte precedes.
// TestWordIndexIsTheScan and FuzzWordIndex pin every indexed answer to the scan.
//
// The walk starts from almost every byte, so the trie is laid out for the cache: a
// double array (Aoe's), where the child of a node by a byte class sits at the node's
// base plus the class and is one when its check names the node, numbered level by
// level so that the few shallow nodes most walks end in share a few kilobytes; and the
// bitsets of sets each word makes occur are kept once per distinct bitset.
type wordIndex struct {
	class [256]int32 // byte -> its class, the same for either case of a letter; 0: no word holds it
	nodes []wordNode // the double array; the root is nodes[0]
	// pairs maps the classes of two bytes (first*classes+second) to the node they lead
	// to from the root, 0 none: every word has two bytes at least, so a walk starts
	// with one read.
	pairs   []int32
	classes int32
	// stride is the length of a bitset over the indexed sets; rows holds the distinct
	// bitsets of the sets an occurrence makes occur, row r at rows[r*stride:]. Row 0 is
	// empty.
	stride  int
	rows    []uint64
	indexed []uint64 // the sets the index answers for
}

// wordNode is a node of the double array.
type wordNode struct {
	base  int32 // the child by class c is nodes[base+c], if its check is this node
	check int32 // the parent's number; -1 for a free slot and the root
	// rows are the word's rows of sets where it does not start a word (rows[0]) and
	// where it does (rows[1]); 0 when no word ends here or no set takes it there.
	rows [2]uint16
}

// cueWords registers every litSet as it is made. The index is built from them on the
// first sentence read; a set made after that (in a test) is scanned.
var cueWords struct {
	sync.Mutex
	sets  []*litSet
	built bool
}

var (
	cueWordsOnce  sync.Once
	cueWordsIndex *wordIndex
)

// register gives l its number in the index, or none once the index is built.
func register(l *litSet) {
	cueWords.Lock()
	defer cueWords.Unlock()
	if !cueWords.built {
		cueWords.sets = append(cueWords.sets, l)
		l.idx = len(cueWords.sets)
	}
}

// theWordIndex returns the index of every registered set's words, built on first use.
func theWordIndex() *wordIndex {
	cueWordsOnce.Do(func() {
		cueWords.Lock()
		defer cueWords.Unlock()
		cueWords.built = true
		cueWordsIndex = newWordIndex(cueWords.sets)
	})
	return cueWordsIndex
}

// newWordIndex builds the index of the words of sets, each numbered by its place.
func newWordIndex(sets []*litSet) *wordIndex {
	ix := &wordIndex{stride: (len(sets) + 63) / 64}
	ix.indexed = make([]uint64, ix.stride)
	ids := map[string]int{}
	var words []string
	type holds struct {
		word, set int
		anywhere  bool
	}
	var held []holds
	for i, l := range sets {
		// A set of wordStart words that may start with another byte would find them
		// where nextIn's word starts cannot: leave it to its scan.
		if l.wordStart && slices.ContainsFunc(l.lits, func(w string) bool { return !asciiWord[w[0]] }) {
			continue
		}
		// A set holding a word that prose is full of ("e", " t": the begin cues' sets,
		// which are asked about the first bytes only) would fill every sentence's list
		// with occurrences, and its scan stops early anyway.
		if slices.ContainsFunc(l.lits, common) {
			continue
		}
		ix.indexed[i>>6] |= 1 << (i & 63)
		for _, w := range l.lits {
			if asciiLower(w) != w {
				continue // hasPrefixFold compares lower-cased bytes: an upper-case letter never occurs
			}
			id, ok := ids[w]
			if !ok {
				id = len(words)
				ids[w] = id
				words = append(words, w)
			}
			held = append(held, holds{id, i, !l.wordStart})
		}
	}
	bits := make([]uint64, 2*len(words)*ix.stride) // word w's rows: 2w anywhere, 2w+1 at a word start
	for _, h := range held {
		bit := uint64(1) << (h.set & 63)
		bits[(2*h.word+1)*ix.stride+h.set>>6] |= bit
		if h.anywhere {
			bits[2*h.word*ix.stride+h.set>>6] |= bit
		}
	}
	ix.rows = make([]uint64, ix.stride) // row 0: no set
	rowOf := map[string]uint16{string(make([]byte, 8*ix.stride)): 0}
	var key []byte
	row := func(bits []uint64) uint16 {
		key = key[:0]
		for _, b := range bits {
			key = binary.LittleEndian.AppendUint64(key, b)
		}
		r, ok := rowOf[string(key)]
		if !ok {
			if len(ix.rows)/ix.stride > math.MaxUint16 {
				panic("extract: the word index has more distinct rows than uint16 numbers")
			}
			r = uint16(len(ix.rows) / ix.stride)
			rowOf[string(key)] = r
			ix.rows = append(ix.rows, bits...)
		}
		return r
	}
	for _, w := range words {
		if len(w) < 2 {
			panic("extract: the word index holds a one-byte word, which its walks would miss: " + w) // common keeps them out
		}
	}
	var base, check, ends []int32
	var classes int32
	ix.class, classes, base, check, ends = doubleArray(words)
	ix.nodes = make([]wordNode, len(base))
	for n := range ix.nodes {
		ix.nodes[n] = wordNode{base: base[n], check: check[n]}
	}
	for w, n := range ends {
		ix.nodes[n].rows = [2]uint16{row(bits[2*w*ix.stride : (2*w+1)*ix.stride]), row(bits[(2*w+1)*ix.stride : (2*w+2)*ix.stride])}
	}
	ix.classes = classes + 1
	ix.pairs = make([]int32, ix.classes*ix.classes)
	for c0 := range ix.classes {
		n := ix.nodes[0].base + c0
		if c0 == 0 || ix.nodes[n].check != 0 {
			continue
		}
		for c1 := int32(1); c1 < ix.classes; c1++ {
			if m := ix.nodes[n].base + c1; int(m) < len(ix.nodes) && ix.nodes[m].check == n {
				ix.pairs[c0*ix.classes+c1] = m
			}
		}
	}
	return ix
}

// common reports whether prose holds w nearly everywhere: a single byte, or two of
// which one is white space or the punctuation most words stand next to.
func common(w string) bool {
	return len(w) < 2 || len(w) == 2 && (strings.IndexByte(" \t\n\r\f\v,.-'", w[0]) >= 0 || strings.IndexByte(" \t\n\r\f\v,.-'", w[1]) >= 0)
}

// wordAt is an occurrence of an indexed word: where, and the row of ix.rows that holds
// the sets it makes occur there.
type wordAt struct {
	pos, row int32
}

// wordsRoom hands out the room for the word starts and occurrences of a document's
// sentences, from buffers shared by all of them and kept for the next document (see
// scratch).
type wordsRoom struct {
	starts []int32
	occ    []wordAt
	sets   []uint64
	// setsAll is all of the buffer sets is handed out from, kept for the next document.
	setsAll []uint64
}

// newWordsRoom makes room for a document of n bytes and sentences sentences, in the
// buffers of old when they are large enough.
func newWordsRoom(old wordsRoom, n, sentences int) wordsRoom {
	r := wordsRoom{starts: old.starts[:0], occ: old.occ[:0], setsAll: old.setsAll}
	if need := n/4 + sentences; cap(r.starts) < need {
		r.starts = make([]int32, 0, need)
	}
	if need := n/5 + sentences; cap(r.occ) < need {
		r.occ = make([]wordAt, 0, need)
	}
	need := sentences * theWordIndex().stride
	if cap(r.setsAll) < need {
		r.setsAll = make([]uint64, need)
	}
	r.sets = r.setsAll[:need]
	clear(r.sets) // takeSets hands out empty bitsets
	return r
}

// takeSets returns an empty bitset of n words.
func (r *wordsRoom) takeSets(n int) []uint64 {
	if r == nil {
		return make([]uint64, n)
	}
	if len(r.sets) < n {
		r.sets = make([]uint64, 16*n)
	}
	out := r.sets[:n:n]
	r.sets = r.sets[n:]
	return out
}

// index walks the trie from each position of s, recording every word that occurs where
// some set takes it, and the sets it makes occur. occ, if not nil, is where the
// occurrences are appended.
func (sw *sentenceWords) index(ix *wordIndex, s string, occ []wordAt, sets []uint64) {
	nodes, class, stride, pairs, classes := ix.nodes, &ix.class, ix.stride, ix.pairs, ix.classes
	for p := 0; p+1 < len(s); p++ {
		n := pairs[class[s[p]]*classes+class[s[p+1]]]
		if n == 0 {
			continue
		}
		start := 1
		if p > 0 && asciiWord[s[p-1]] {
			start = 0
		}
		for q := p + 2; ; q++ {
			if row := nodes[n].rows[start]; row != 0 {
				occ = append(occ, wordAt{int32(p), int32(row)})
				for i, b := range ix.rows[int(row)*stride : int(row+1)*stride] {
					sets[i] |= b
				}
			}
			if q == len(s) {
				break
			}
			next := nodes[n].base + class[s[q]]
			if nodes[next].check != n {
				break
			}
			n = next
		}
	}
	sw.ix, sw.occ, sw.sets = ix, occ, sets
}

// answers reports whether the index answers for l on s: s is the indexed sentence or
// its lower-cased copy, position for position.
func (sw *sentenceWords) answers(l *litSet, s string) bool {
	if sw == nil || sw.ix == nil || l.idx == 0 || !(s == sw.text || sw.lowerSame && s == sw.lower) {
		return false
	}
	i := l.idx - 1
	return sw.ix.indexed[i>>6]&(1<<(i&63)) != 0
}

// find is l.next(s, p) read from the index of s (see answers).
func (sw *sentenceWords) find(l *litSet, p int) int {
	i := l.idx - 1
	w, bit := i>>6, uint64(1)<<(i&63)
	if sw.sets[w]&bit == 0 {
		return -1
	}
	occ := sw.occ
	if p > 0 {
		lo, hi := 0, len(occ) // sort.Search, without a call per step
		for lo < hi {
			if m := int(uint(lo+hi) >> 1); int(occ[m].pos) < p {
				lo = m + 1
			} else {
				hi = m
			}
		}
		occ = occ[lo:]
	}
	rows, stride := sw.ix.rows, sw.ix.stride
	for _, o := range occ {
		if rows[int(o.row)*stride+w]&bit != 0 {
			return int(o.pos)
		}
	}
	return -1
}
