package referral

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// builder keeps the rows of a dataset as they are read, in input order:
// accountants as rows, clients and payments straight into columns, so
// that a large file never exists as millions of structs. build sorts and
// indexes them into a Dataset.
type builder struct {
	accs []Accountant

	cID             stringsBuilder
	cAcc            []int32 // input row of the client's accountant
	cLinked, cUnlnk []Date
	cLines          lineMap
	cIndex          idSet

	pID          stringsBuilder
	pClient      []int32 // input row of the payment's client
	pPaid        []Instant
	pRefund      []uint32  // index in refunds
	refunds      []Instant // refunds[0] is never
	pStart, pEnd []Date
	pUnits       []int64
	pWritten     []uint8 // decimals the amount was written with
	pCur         []uint16
	pPromo       []uint32
	pLines       lineMap
	pIndex       idSet
	big          map[int32]decimal.Decimal // amounts whose minor units do not fit in int64

	curAt   map[string]uint16
	curs    []string
	digits  []int8
	promoAt map[string]uint32
	promos  []string // promos[0] is "", no promotion
	zones   map[int16]*time.Location
}

func newBuilder() *builder {
	return &builder{
		curAt: map[string]uint16{}, promoAt: map[string]uint32{"": 0}, promos: []string{""},
		zones:   map[int16]*time.Location{0: time.UTC},
		refunds: []Instant{never},
	}
}

// lineMap gives the line of each row read from a file without keeping a
// number per row: the line is the row plus an offset that changes only
// at a blank line or a record that spans lines, where a jump is kept.
type lineMap struct {
	jumps []lineJump // by row
}

type lineJump struct{ row, delta int32 }

// add notes that row starts on line (0: not from a file).
func (m *lineMap) add(row, line int) {
	if line == 0 {
		return
	}
	d := int32(line - row)
	if n := len(m.jumps); n == 0 || m.jumps[n-1].delta != d {
		m.jumps = append(m.jumps, lineJump{int32(row), d})
	}
}

// line returns the line row starts on, or 0 when it was not read from a
// file.
func (m *lineMap) line(row int) int {
	i, _ := slices.BinarySearchFunc(m.jumps, int32(row), func(j lineJump, r int32) int { return cmp.Compare(j.row, r) })
	if i < len(m.jumps) && m.jumps[i].row == int32(row) {
		return row + int(m.jumps[i].delta)
	}
	if i == 0 {
		return 0
	}
	return row + int(m.jumps[i-1].delta)
}

// reserve makes room for about rows[t] rows of each table t.
func (b *builder) reserve(rows [numTables]int) {
	if n := rows[accountantsTable]; n > 0 {
		b.accs = make([]Accountant, 0, n)
	}
	if n := rows[clientsTable]; n > 0 {
		b.cAcc = make([]int32, 0, n)
		b.cLinked, b.cUnlnk = make([]Date, 0, n), make([]Date, 0, n)
		b.cID.end, b.cID.rows = make([]uint32, 0, n), n
		b.cIndex.reserve = n
	}
	if n := rows[paymentsTable]; n > 0 {
		b.pClient = make([]int32, 0, n)
		b.pPaid, b.pRefund = make([]Instant, 0, n), make([]uint32, 0, n)
		b.pStart, b.pEnd = make([]Date, 0, n), make([]Date, 0, n)
		b.pUnits, b.pWritten = make([]int64, 0, n), make([]uint8, 0, n)
		b.pCur, b.pPromo = make([]uint16, 0, n), make([]uint32, 0, n)
		b.pID.end, b.pID.rows = make([]uint32, 0, n), n
		b.pIndex.reserve = n
	}
}

func (b *builder) clientID(i int) string  { return b.cID.at(i) }
func (b *builder) paymentID(i int) string { return b.pID.at(i) }

// maxRows is the most clients, and the most payments, a Dataset holds:
// its columns refer to rows as int32. A variable for tests.
var maxRows = math.MaxInt32

// addClient appends a client whose accountant is input row acc. It
// reports false, adding nothing, when the client does not fit: maxRows
// clients already, or its id past the text an id column holds.
func (b *builder) addClient(cl *Client, acc int, line int) bool {
	if len(b.cAcc) >= maxRows || !b.cID.add(cl.ID) {
		return false
	}
	b.cAcc = append(b.cAcc, int32(acc))
	b.cLinked = append(b.cLinked, cl.LinkedOn)
	b.cUnlnk = append(b.cUnlnk, cl.UnlinkedOn)
	b.cLines.add(len(b.cAcc)-1, line)
	return true
}

// addPayment appends a payment whose client is input row client, and
// whose currency has digits minor digits. It reports false, adding
// nothing, when the payment does not fit, as addClient does.
func (b *builder) addPayment(p *Payment, client int, digits int, line int) bool {
	row := len(b.pClient)
	if row >= maxRows || !b.pID.add(p.ID) {
		return false
	}
	b.pClient = append(b.pClient, int32(client))
	b.pPaid = append(b.pPaid, b.instant(p.PaidAt))
	refund := uint32(0)
	if !p.RefundedAt.IsZero() {
		refund = uint32(len(b.refunds))
		b.refunds = append(b.refunds, b.instant(p.RefundedAt))
	}
	b.pRefund = append(b.pRefund, refund)
	b.pStart = append(b.pStart, p.PeriodStart)
	b.pEnd = append(b.pEnd, p.PeriodEnd)
	written := decimalsOf(p.Amount)
	units, ok := minorUnits(p.Amount, digits)
	if !ok {
		if b.big == nil {
			b.big = map[int32]decimal.Decimal{}
		}
		b.big[int32(row)] = p.Amount
		units = OverflowUnits
	}
	b.pUnits = append(b.pUnits, units)
	b.pWritten = append(b.pWritten, uint8(min(written, math.MaxUint8)))
	b.pCur = append(b.pCur, b.currency(p.Currency, digits))
	b.pPromo = append(b.pPromo, b.promotion(p.Promotion))
	b.pLines.add(row, line)
	return true
}

// minorUnits returns d in minor units of a currency with digits decimals,
// when d has no more decimals than that and the units fit in int64.
func minorUnits(d decimal.Decimal, digits int) (int64, bool) {
	if d.Exponent() < -int32(digits) || digits > 18 {
		return 0, false
	}
	// The usual case without big numbers: a coefficient of at most 18
	// digits (NumDigits does not allocate below 2^53 and is exact above)
	// times a power of ten, checked in 128 bits.
	if shift := int(d.Exponent()) + digits; d.NumDigits() <= 18 && shift < len(pow10) {
		c := d.CoefficientInt64()
		neg := c < 0
		if neg {
			c = -c
		}
		hi, lo := bits.Mul64(uint64(c), uint64(pow10[shift]))
		if hi == 0 && lo <= math.MaxInt64 {
			if neg {
				return -int64(lo), true
			}
			return int64(lo), true
		}
		return 0, false
	}
	shifted := d.Shift(int32(digits))
	if shifted.Exponent() < 0 {
		return 0, false
	}
	n := shifted.BigInt()
	if !n.IsInt64() || n.Int64() == OverflowUnits {
		return 0, false
	}
	return n.Int64(), true
}

func (b *builder) instant(t time.Time) Instant {
	in := InstantOf(t)
	if _, ok := b.zones[in.offset]; !ok {
		b.zones[in.offset] = t.Location()
	}
	return in
}

func (b *builder) currency(code string, digits int) uint16 {
	k, ok := b.curAt[code]
	if !ok {
		k = uint16(len(b.curs)) // at most a few hundred codes have minor units
		b.curAt[strings.Clone(code)] = k
		b.curs = append(b.curs, strings.Clone(code))
		b.digits = append(b.digits, int8(digits))
	}
	return k
}

func (b *builder) promotion(name string) uint32 {
	k, ok := b.promoAt[name]
	if !ok {
		k = uint32(len(b.promos))
		name = strings.Clone(name)
		b.promoAt[name] = k
		b.promos = append(b.promos, name)
	}
	return k
}

// build sorts the rows into the order the Dataset promises and indexes
// them. The rows must be valid: every reference resolved.
func (b *builder) build() *Dataset {
	ds := &Dataset{zones: b.zones, clientAt: &lazyIndex{}}

	// Accountants by ID.
	accPerm := make([]int32, len(b.accs))
	for i := range accPerm {
		accPerm[i] = int32(i)
	}
	slices.SortFunc(accPerm, func(x, y int32) int { return strings.Compare(b.accs[x].ID, b.accs[y].ID) })
	accRank := rankOf(accPerm)
	ds.accountants = make([]Accountant, len(b.accs))
	for i, r := range accPerm {
		ds.accountants[i] = b.accs[r]
	}
	b.accs = nil

	// Clients by accountant, then ID.
	cols := &ds.cols
	groups := make([]int32, len(b.cAcc))
	for i, a := range b.cAcc {
		groups[i] = accRank[a]
	}
	var cPerm []int32
	cPerm, cols.AccountantClients = bucket(groups, len(ds.accountants), func(x, y int32) int {
		return strings.Compare(b.cID.at(int(x)), b.cID.at(int(y)))
	})
	cRank := rankOf(cPerm)
	ids := b.cID.column()
	b.cID, b.cAcc = stringsBuilder{}, nil
	cols.ClientID = ids.permute(cPerm)
	seen := make([]uint64, (len(cPerm)+63)/64)
	cols.ClientAccountant = permuteInPlace(groups, cPerm, seen)
	cols.LinkedOn = permuteInPlace(b.cLinked, cPerm, seen)
	cols.UnlinkedOn = permuteInPlace(b.cUnlnk, cPerm, seen)
	b.cLinked, b.cUnlnk, b.cIndex = nil, nil, idSet{}

	// Payments by client, then PaidAt, then ID.
	groups = make([]int32, len(b.pClient))
	for i, c := range b.pClient {
		groups[i] = cRank[c]
	}
	b.pClient, b.pIndex = nil, idSet{} // duplicates were found while reading
	var pPerm []int32
	pPerm, cols.ClientPayments = bucket(groups, len(cPerm), func(x, y int32) int {
		return cmp.Or(b.pPaid[x].Compare(b.pPaid[y]), strings.Compare(b.pID.at(int(x)), b.pID.at(int(y))))
	})
	ids = b.pID.column()
	b.pID = stringsBuilder{}
	cols.PaymentID = ids.permute(pPerm)
	seen = make([]uint64, (len(pPerm)+63)/64)
	cols.PaymentClient = permuteInPlace(groups, pPerm, seen)
	cols.PaidAt = permuteInPlace(b.pPaid, pPerm, seen)
	cols.Refund = permuteInPlace(b.pRefund, pPerm, seen)
	cols.Refunds = b.refunds
	cols.PeriodStart = permuteInPlace(b.pStart, pPerm, seen)
	cols.PeriodEnd = permuteInPlace(b.pEnd, pPerm, seen)
	cols.Units = permuteInPlace(b.pUnits, pPerm, seen)
	cols.written = permuteInPlace(b.pWritten, pPerm, seen)
	cols.Currency = permuteInPlace(b.pCur, pPerm, seen)
	cols.Promotion = permuteInPlace(b.pPromo, pPerm, seen)
	if b.big != nil {
		rank := rankOf(pPerm)
		cols.big = make(map[int32]decimal.Decimal, len(b.big))
		for r, d := range b.big {
			cols.big[rank[r]] = d
		}
	}

	// Currencies in byte order, so that their indexes sort as their codes.
	curOrder := make([]int32, len(b.curs))
	for i := range curOrder {
		curOrder[i] = int32(i)
	}
	slices.SortFunc(curOrder, func(x, y int32) int { return strings.Compare(b.curs[x], b.curs[y]) })
	curRank := rankOf(curOrder)
	cols.Currencies = make([]string, len(b.curs))
	cols.Digits = make([]int8, len(b.curs))
	for i, k := range curOrder {
		cols.Currencies[i], cols.Digits[i] = b.curs[k], b.digits[k]
	}
	for i, k := range cols.Currency {
		cols.Currency[i] = uint16(curRank[k])
	}
	cols.Promotions = b.promos
	*b = builder{}
	return ds
}

// rankOf inverts a permutation: rank[perm[i]] = i.
func rankOf(perm []int32) []int32 {
	rank := make([]int32, len(perm))
	for i, r := range perm {
		rank[r] = int32(i)
	}
	return rank
}

// permuteInPlace puts col in the order of perm (row i becomes the old
// row perm[i]) without a copy of the column, following each cycle of the
// permutation; seen is a scratch bit set of len(col) bits.
func permuteInPlace[T any](col []T, perm []int32, seen []uint64) []T {
	clear(seen)
	for i := range col {
		if seen[i/64]&(1<<(i%64)) != 0 {
			continue
		}
		first := col[i]
		j := i
		for {
			seen[j/64] |= 1 << (j % 64)
			k := int(perm[j])
			if k == i {
				col[j] = first
				break
			}
			col[j] = col[k]
			j = k
		}
	}
	return col
}

// bucket orders rows by group (each in 0..groups-1), then by less within
// a group, in time linear in the rows when groups are small: a counting
// sort, then a sort of each group. It returns the order and, for each
// group g, where it starts (starts[g]) and ends (starts[g+1]).
func bucket(group []int32, groups int, less func(x, y int32) int) (perm, starts []int32) {
	starts = make([]int32, groups+1)
	for _, g := range group {
		starts[g+1]++
	}
	for g := range groups {
		starts[g+1] += starts[g]
	}
	perm = make([]int32, len(group))
	next := slices.Clone(starts[:groups])
	for i, g := range group {
		perm[next[g]] = int32(i)
		next[g]++
	}
	for g := range groups {
		if run := perm[starts[g]:starts[g+1]]; len(run) > 1 {
			slices.SortFunc(run, less)
		}
	}
	return perm, starts
}
