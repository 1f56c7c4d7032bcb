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
	cLine           []int32 // line of each row, when read from a file
	cIndex          idIndex

	pID            stringsBuilder
	pClient        []int32 // input row of the payment's client
	pPaid, pRefund []Instant
	pStart, pEnd   []Date
	pUnits         []int64
	pWritten       []uint8 // decimals the amount was written with
	pCur           []uint16
	pPromo         []uint32
	pLine          []int32
	pIndex         idIndex
	big            map[int32]decimal.Decimal // amounts whose minor units do not fit in int64

	curAt   map[string]uint16
	curs    []string
	digits  []int8
	promoAt map[string]uint32
	promos  []string // promos[0] is "", no promotion
	zones   map[int16]*time.Location
}

func newBuilder() *builder {
	return &builder{
		cIndex: newIDIndex(0), pIndex: newIDIndex(0),
		curAt: map[string]uint16{}, promoAt: map[string]uint32{"": 0}, promos: []string{""},
		zones: map[int16]*time.Location{0: time.UTC},
	}
}

// reserve makes room for about rows[t] rows of each table t.
func (b *builder) reserve(rows [numTables]int) {
	if n := rows[accountantsTable]; n > 0 {
		b.accs = make([]Accountant, 0, n)
	}
	if n := rows[clientsTable]; n > 0 {
		b.cAcc, b.cLine = make([]int32, 0, n), make([]int32, 0, n)
		b.cLinked, b.cUnlnk = make([]Date, 0, n), make([]Date, 0, n)
		b.cID.end = make([]uint32, 0, n)
		b.cIndex = b.cIndex.sized(n)
	}
	if n := rows[paymentsTable]; n > 0 {
		b.pClient, b.pLine = make([]int32, 0, n), make([]int32, 0, n)
		b.pPaid, b.pRefund = make([]Instant, 0, n), make([]Instant, 0, n)
		b.pStart, b.pEnd = make([]Date, 0, n), make([]Date, 0, n)
		b.pUnits, b.pWritten = make([]int64, 0, n), make([]uint8, 0, n)
		b.pCur, b.pPromo = make([]uint16, 0, n), make([]uint32, 0, n)
		b.pID.end = make([]uint32, 0, n)
		b.pIndex = b.pIndex.sized(n)
	}
}

func (b *builder) clientID(i int) string  { return b.cID.at(i) }
func (b *builder) paymentID(i int) string { return b.pID.at(i) }

// addClient appends a client whose accountant is input row acc.
func (b *builder) addClient(cl *Client, acc int, line int) {
	b.cID.add(cl.ID)
	b.cAcc = append(b.cAcc, int32(acc))
	b.cLinked = append(b.cLinked, cl.LinkedOn)
	b.cUnlnk = append(b.cUnlnk, cl.UnlinkedOn)
	b.cLine = append(b.cLine, int32(line))
}

// addPayment appends a payment whose client is input row client, and
// whose currency has digits minor digits.
func (b *builder) addPayment(p *Payment, client int, digits int, line int) {
	row := len(b.pClient)
	b.pID.add(p.ID)
	b.pClient = append(b.pClient, int32(client))
	b.pPaid = append(b.pPaid, b.instant(p.PaidAt))
	refund := never
	if !p.RefundedAt.IsZero() {
		refund = b.instant(p.RefundedAt)
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
		units = overflowUnits
	}
	b.pUnits = append(b.pUnits, units)
	b.pWritten = append(b.pWritten, uint8(min(written, math.MaxUint8)))
	b.pCur = append(b.pCur, b.currency(p.Currency, digits))
	b.pPromo = append(b.pPromo, b.promotion(p.Promotion))
	b.pLine = append(b.pLine, int32(line))
}

// overflowUnits marks an amount kept as a decimal (see Columns.Amount).
const overflowUnits = math.MinInt64

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
	if !n.IsInt64() || n.Int64() == overflowUnits {
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
	ds := &Dataset{zones: b.zones}

	// Accountants by ID.
	accPerm := make([]int32, len(b.accs))
	for i := range accPerm {
		accPerm[i] = int32(i)
	}
	slices.SortFunc(accPerm, func(x, y int32) int { return strings.Compare(b.accs[x].ID, b.accs[y].ID) })
	accRank := rankOf(accPerm)
	ds.accountants = make([]Accountant, len(b.accs))
	ds.accountantAt = newIDIndex(len(b.accs))
	for i, r := range accPerm {
		ds.accountants[i] = b.accs[r]
		ds.accountantAt.add(ds.accountants[i].ID, i)
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
	cols.ClientID = ids.permute(cPerm)
	cols.ClientAccountant = permute(groups, cPerm)
	cols.LinkedOn = permute(b.cLinked, cPerm)
	cols.UnlinkedOn = permute(b.cUnlnk, cPerm)
	ds.clientAt = b.cIndex
	ds.clientAt.renumber(cRank)
	b.cID, b.cAcc, b.cLinked, b.cUnlnk, b.cLine = stringsBuilder{}, nil, nil, nil, nil

	// Payments by client, then PaidAt, then ID.
	groups = make([]int32, len(b.pClient))
	for i, c := range b.pClient {
		groups[i] = cRank[c]
	}
	var pPerm []int32
	pPerm, cols.ClientPayments = bucket(groups, len(cPerm), func(x, y int32) int {
		return cmp.Or(b.pPaid[x].Compare(b.pPaid[y]), strings.Compare(b.pID.at(int(x)), b.pID.at(int(y))))
	})
	ids = b.pID.column()
	cols.PaymentID = ids.permute(pPerm)
	cols.PaymentClient = permute(groups, pPerm)
	cols.PaidAt = permute(b.pPaid, pPerm)
	cols.RefundedAt = permute(b.pRefund, pPerm)
	cols.PeriodStart = permute(b.pStart, pPerm)
	cols.PeriodEnd = permute(b.pEnd, pPerm)
	cols.Units = permute(b.pUnits, pPerm)
	cols.written = permute(b.pWritten, pPerm)
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
	cols.Currency = make([]uint16, len(pPerm))
	cols.Promotion = make([]uint32, len(pPerm))
	for i, r := range pPerm {
		cols.Currency[i] = uint16(curRank[b.pCur[r]])
		cols.Promotion[i] = b.pPromo[r]
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

// permute returns col in the order of perm.
func permute[T any](col []T, perm []int32) []T {
	out := make([]T, len(perm))
	for i, r := range perm {
		out[i] = col[r]
	}
	return out
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
