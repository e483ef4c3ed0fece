package extract

import (
	"fmt"
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
// The walk starts from almost every byte, so the table is laid out for the cache: nodes
// numbered level by level, so that the few shallow nodes most walks end in share a few
// kilobytes, and children held as uint16 (the words of all sets come to some 8,000
// nodes; newWordIndex panics past 65,535).
type wordIndex struct {
	class   [256]uint8 // byte -> its column in trans, the same for either case of a letter; 0: no word holds it
	columns int
	trans   []uint16 // node*columns + column -> the child node, 0 none (the root is node 0)
	word    []int32  // node -> the word it spells, -1 none
	// stride is the length of a bitset over the indexed sets. sets[(2*word+1)*stride:]
	// is the bitset of the sets that hold the word; sets[2*word*stride:], of those
	// that take it where it does not start a word: the sets that are not wordStart.
	stride  int
	sets    []uint64
	indexed []uint64 // the sets the index answers for
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
	ix.sets = make([]uint64, 2*len(words)*ix.stride)
	for _, h := range held {
		bit := uint64(1) << (h.set & 63)
		ix.sets[(2*h.word+1)*ix.stride+h.set>>6] |= bit
		if h.anywhere {
			ix.sets[2*h.word*ix.stride+h.set>>6] |= bit
		}
	}
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			if ix.class[w[i]] == 0 {
				ix.columns++
				ix.class[w[i]] = uint8(ix.columns)
			}
		}
	}
	ix.columns++ // column 0, for the bytes no word holds, leads nowhere
	// Build the trie with nodes numbered as they come, then renumber them level by level.
	cols := ix.columns
	trans := make([]int32, cols)
	word := []int32{-1}
	for id, w := range words {
		n := 0
		for i := 0; i < len(w); i++ {
			t := n*cols + int(ix.class[w[i]])
			if trans[t] == 0 {
				trans[t] = int32(len(word))
				trans = append(trans, make([]int32, cols)...)
				word = append(word, -1)
			}
			n = int(trans[t])
		}
		word[n] = int32(id)
	}
	if len(word) > math.MaxUint16 {
		panic(fmt.Sprintf("extract: the word index has %d nodes, more than its uint16 children can number", len(word)))
	}
	order := []int32{0} // new number -> old
	renum := make([]uint16, len(word))
	for i := 0; i < len(order); i++ {
		for c := 0; c < cols; c++ {
			if child := trans[int(order[i])*cols+c]; child != 0 {
				renum[child] = uint16(len(order))
				order = append(order, child)
			}
		}
	}
	ix.trans = make([]uint16, len(trans))
	ix.word = make([]int32, len(word))
	for n, old := range order {
		ix.word[n] = word[old]
		for c := 0; c < cols; c++ {
			if child := trans[int(old)*cols+c]; child != 0 {
				ix.trans[n*cols+c] = renum[child]
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		ix.class[b] = ix.class[b+'a'-'A']
	}
	return ix
}

// common reports whether prose holds w nearly everywhere: a single byte, or two of
// which one is white space or the punctuation most words stand next to.
func common(w string) bool {
	return len(w) < 2 || len(w) == 2 && (strings.IndexByte(" \t\n\r\f\v,.-'", w[0]) >= 0 || strings.IndexByte(" \t\n\r\f\v,.-'", w[1]) >= 0)
}

// wordAt is an occurrence of an indexed word: where, and 2*word+1 where it starts a
// word (no ASCII word byte before it), 2*word elsewhere: the row of ix.sets to read.
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

// index walks the trie from each position of s, recording every word that occurs and
// the sets it makes occur. occ, if not nil, is where the occurrences are appended.
func (sw *sentenceWords) index(ix *wordIndex, s string, occ []wordAt, sets []uint64) {
	cols, trans, class := ix.columns, ix.trans, &ix.class
	for p := 0; p < len(s); p++ {
		n := int(trans[class[s[p]]])
		if n == 0 {
			continue
		}
		start := int32(1)
		if p > 0 && asciiWord[s[p-1]] {
			start = 0
		}
		for q := p + 1; ; q++ {
			if w := ix.word[n]; w >= 0 {
				row := 2*w + start
				occ = append(occ, wordAt{int32(p), row})
				for i, b := range ix.sets[int(row)*ix.stride : int(row+1)*ix.stride] {
					sets[i] |= b
				}
			}
			if q == len(s) {
				break
			}
			if n = int(trans[n*cols+int(class[s[q]])]); n == 0 {
				break
			}
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
	sets, stride := sw.ix.sets, sw.ix.stride
	for _, o := range occ {
		if sets[int(o.row)*stride+w]&bit != 0 {
			return int(o.pos)
		}
	}
	return -1
}
