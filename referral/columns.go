package referral

import (
	"hash/maphash"
	"math"
	"sort"
	"strings"
	"time"
)

// Strings is a column of text, such as every payment's id: one string
// holds the text of all rows end to end, and row i is a substring of it,
// so that a column of millions of ids costs the bytes of the ids and four
// bytes a row, and reading a row allocates nothing.
type Strings struct {
	text string
	end  []uint32 // end[i] is where row i ends in text; row i starts at end[i-1]
}

// Len returns the number of rows.
func (s *Strings) Len() int { return len(s.end) }

// At returns row i.
func (s *Strings) At(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.end[i-1]
	}
	return s.text[start:s.end[i]]
}

// maxStringsText is the most text a Strings column holds: its offsets are
// 32 bits. A variable so that tests can reach it without 4 GiB of ids.
var maxStringsText uint64 = math.MaxUint32

// stringsBuilder appends rows to a Strings column. The text is kept in a
// strings.Builder, whose String is a view of the bytes written so far, so
// rows can be read back while the column grows.
type stringsBuilder struct {
	b    strings.Builder
	end  []uint32
	rows int // about how many rows the column will have, if known
}

// add appends s as the last row. It reports false, adding nothing, when
// the column's text would pass maxStringsText.
func (sb *stringsBuilder) add(s string) bool {
	if uint64(sb.b.Len())+uint64(len(s)) > maxStringsText {
		return false
	}
	sb.b.WriteString(s)
	sb.end = append(sb.end, uint32(sb.b.Len()))
	if len(sb.end) == sampleRows && sb.rows > sampleRows {
		// Make room for the whole column at once, from the length of the
		// rows so far, rather than growing by copies.
		want := uint64(sb.b.Len()) * uint64(sb.rows) / sampleRows * 11 / 10
		sb.b.Grow(int(min(want, maxStringsText)) - sb.b.Len())
	}
	return true
}

// sampleRows is the number of rows after which a column with a known
// number of rows makes room for all of them.
const sampleRows = 1024

func (sb *stringsBuilder) len() int { return len(sb.end) }

// at returns row i of the text written so far.
func (sb *stringsBuilder) at(i int) string {
	col := Strings{text: sb.b.String(), end: sb.end}
	return col.At(i)
}

// column returns the rows as a Strings column; sb must not be used after.
func (sb *stringsBuilder) column() Strings { return Strings{text: sb.b.String(), end: sb.end} }

// permute returns the rows of s in the order of perm: row i of the result
// is row perm[i] of s.
func (s *Strings) permute(perm []int32) Strings {
	var sb stringsBuilder
	sb.b.Grow(len(s.text))
	sb.end = make([]uint32, 0, len(perm))
	for _, i := range perm {
		sb.add(s.At(int(i))) // the same text in another order: it fits
	}
	return sb.column()
}

// idIndex finds a row by its id among the rows of a Strings column: an
// open-addressing hash table whose slots hold a row number and the top 32
// bits of its id's hash, with the ids themselves left in the column. A
// probe compares text only when the hash bits match, and growing the
// table never reads an id again.
type idIndex struct {
	slots []uint64 // hash<<32 | row+1; 0 is an empty slot
	shift uint     // a hash's slot is its top bits: hash >> shift
	n     int
	seed  maphash.Seed
}

// newIDIndex returns an index sized for capacity rows, at most 70% full.
func newIDIndex(capacity int) idIndex {
	return idIndex{seed: maphash.MakeSeed()}.sized(capacity)
}

// sized returns x emptied, with room for capacity rows.
func (x idIndex) sized(capacity int) idIndex {
	bits := uint(4)
	for 7*(1<<bits) < 10*capacity {
		bits++
	}
	return idIndex{slots: make([]uint64, 1<<bits), shift: 64 - bits, seed: x.seed}
}

func (x *idIndex) hash(id string) uint64 { return maphash.String(x.seed, id) }

// find returns the row of the column whose text is id.
func (x *idIndex) find(id string, text func(int) string) (int, bool) {
	if x.n == 0 {
		return 0, false
	}
	h := x.hash(id)
	tag := h >> 32 << 32
	mask := uint64(len(x.slots) - 1)
	for i := h >> x.shift; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if s&^0xFFFFFFFF == tag && text(int(uint32(s)-1)) == id {
			return int(uint32(s) - 1), true
		}
	}
}

// add indexes row, whose id is id and is not in the index yet.
func (x *idIndex) add(id string, row int) {
	if 10*(x.n+1) > 7*len(x.slots) {
		x.grow()
	}
	h := x.hash(id)
	x.put(h>>32<<32 | uint64(uint32(row+1)))
}

// put places a slot's content.
func (x *idIndex) put(s uint64) {
	mask := uint64(len(x.slots) - 1)
	i := s >> x.shift
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = s
	x.n++
}

// grow doubles the table.
func (x *idIndex) grow() {
	old := x.slots
	*x = x.sized(max(8, 2*x.n))
	for _, s := range old {
		if s != 0 {
			x.put(s)
		}
	}
}

// idSet finds rows by id while a table is read. As long as the ids come
// in strictly increasing byte order, as exports by primary key do, it
// keeps no table at all: a new id is new when it sorts after the last one,
// and an id is found by binary search. At the first id out of order it
// indexes the rows so far in an idIndex and goes on with it, so that
// checking tens of millions of sorted ids costs no random memory access.
type idSet struct {
	sorted  int  // rows 0 to sorted-1 are in strictly increasing order and in the set
	hashed  bool // the set is index, and sorted no longer counts
	index   idIndex
	reserve int // rows to size the index for, if it is needed
}

// find returns the row whose text is id.
func (s *idSet) find(id string, text func(int) string) (int, bool) {
	if s.hashed {
		return s.index.find(id, text)
	}
	if s.sorted == 0 || id > text(s.sorted-1) {
		return 0, false
	}
	i, found := sort.Find(s.sorted, func(i int) int { return strings.Compare(id, text(i)) })
	return i, found
}

// add puts row, whose text is id and which is not in the set, in the set.
func (s *idSet) add(id string, row int, text func(int) string) {
	if !s.hashed {
		if row == s.sorted && (row == 0 || id > text(row-1)) {
			s.sorted++
			return
		}
		s.hashed = true
		s.index = newIDIndex(max(s.reserve, 2*s.sorted))
		for i := range s.sorted {
			s.index.add(text(i), i)
		}
	}
	s.index.add(id, row)
}

// Instant is a moment as a Dataset keeps it: whole seconds since
// 1970-01-01T00:00:00Z and nanoseconds within the second, with the UTC
// offset it was written with, in minutes, so that the original text can
// be given back. Instants compare by the moment alone.
type Instant struct {
	Unix   int64 // seconds since 1970-01-01T00:00:00Z
	Nanos  int32 // 0 to 999,999,999
	offset int16 // minutes east of UTC it was written in
}

// InstantOf returns the Instant of t.
func InstantOf(t time.Time) Instant {
	return Instant{Unix: t.Unix(), Nanos: int32(t.Nanosecond()), offset: zoneMinutes(t)}
}

// Before reports whether t is before u.
func (t Instant) Before(u Instant) bool {
	return t.Unix < u.Unix || (t.Unix == u.Unix && t.Nanos < u.Nanos)
}

// Compare returns -1, 0 or +1 as t is before, at or after u.
func (t Instant) Compare(u Instant) int {
	switch {
	case t.Before(u):
		return -1
	case u.Before(t):
		return 1
	}
	return 0
}

// Time returns t as a time.Time in UTC.
func (t Instant) Time() time.Time { return time.Unix(t.Unix, int64(t.Nanos)).UTC() }

// never is the refund instant of a payment never refunded: after every
// instant RFC 3339 can write, so that "refunded before t" is a plain
// comparison.
var never = Instant{Unix: math.MaxInt64}

// Never reports whether t is the refund instant of a payment that was
// never refunded.
func (t Instant) Never() bool { return t.Unix == math.MaxInt64 }
