package commission_test

// Property tests: statements a user of the statements relies on, checked
// on many small datasets made by a deterministic generator (genData). A
// failure names the seed; genData(seed) rebuilds the dataset that broke.
//
// The generator makes a few accountants, one in each program country and
// one in Mexico (valid input, no statements), sometimes unregistered or not
// activated; clients linked and sometimes unlinked (now and then on or
// before their link day, which means never linked); runs of monthly
// payments with gaps, in the accountant's currency or another one (COP,
// USD, CLP with no minor digits, KWD with three), promotions, refunds (some
// at the very instant of the payment), and paid_at instants written with
// several offsets, many of them in the last or first hour of a local month.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the program zones, whatever the host has

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
)

// genFrom and genTo are the months the properties compute: the generated
// payments run from early 2025 to mid 2026.
var genFrom, genTo = referral.MonthOf(2025, time.October), referral.MonthOf(2026, time.May)

// genSeeds is how many datasets each property is checked on.
func genSeeds() int {
	if testing.Short() {
		return 15
	}
	return 60
}

// genRules returns the program's default rules built by hand, with two
// more currencies so that amounts of 0 and 3 minor digits are exercised.
func genRules(tb testing.TB) *commission.Rules {
	tb.Helper()
	levels, err := tier.New([]tier.Level{
		{Number: 1, Min: 5, Max: 8, Rate: decimal.RequireFromString("0.10")},
		{Number: 2, Min: 9, Max: 12, Rate: decimal.RequireFromString("0.15")},
		{Number: 3, Min: 13, Max: 25, Rate: decimal.RequireFromString("0.20")},
		{Number: 4, Min: 26, Rate: decimal.RequireFromString("0.25")},
	})
	if err != nil {
		tb.Fatalf("tier.New: %v", err)
	}
	countries := map[string]commission.Country{}
	for code, c := range genCountries {
		if c.program {
			countries[code] = commission.Country{Code: code, Currency: c.currency, Location: genZone(tb, c.zone)}
		}
	}
	return &commission.Rules{
		Levels:               levels,
		Countries:            countries,
		Currencies:           map[string]int{"COP": 2, "DOP": 2, "USD": 2, "CRC": 2, "CLP": 0, "KWD": 3},
		WindowMonths:         12,
		PayoutDelayMonths:    1,
		Rounding:             commission.HalfUp,
		ExcludePromotedSales: true,
		RequireActivation:    true,
		Payout:               "service_credit",
	}
}

// genCountries are the countries of the generated accountants.
var genCountries = map[string]struct {
	currency, zone string
	program        bool
}{
	"CO": {"COP", "America/Bogota", true},
	"DO": {"DOP", "America/Santo_Domingo", true},
	"PA": {"USD", "America/Panama", true},
	"CR": {"CRC", "America/Costa_Rica", true},
	"MX": {"USD", "America/Mexico_City", false},
}

func genZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("time.LoadLocation(%q): %v", name, err)
	}
	return loc
}

// genInput is the rows of a generated dataset, before validation.
type genInput struct {
	accs    []referral.Accountant
	clients []referral.Client
	pays    []referral.Payment
}

// build validates in with referral.New, as every user of the library does.
func (in genInput) build(tb testing.TB, r *commission.Rules) *referral.Dataset {
	tb.Helper()
	ds, err := referral.New(in.accs, in.clients, in.pays, r)
	if err != nil {
		tb.Fatalf("referral.New of generated data: %v", err)
	}
	return ds
}

// clone returns a copy of in whose slices can be changed.
func (in genInput) clone() genInput {
	return genInput{slices.Clone(in.accs), slices.Clone(in.clients), slices.Clone(in.pays)}
}

// genData makes the dataset of seed. The same seed always gives the same
// rows.
func genData(seed uint64) genInput {
	return genWith(rand.New(rand.NewPCG(seed, 0x5eed)), 0)
}

// genWith makes a dataset with the choices r makes, with at most
// maxClients clients (no limit when it is 0).
func genWith(r *rand.Rand, maxClients int) genInput {
	g := &generator{r: r, maxClients: maxClients}
	codes := []string{"CO", "DO", "PA", "CR", "MX"}
	for range r.IntN(3) {
		codes = append(codes, []string{"CO", "DO", "PA", "CR"}[r.IntN(4)])
	}
	for i, code := range codes {
		g.accountant(fmt.Sprintf("a-%d", i+1), code)
	}
	return g.in
}

type generator struct {
	r          *rand.Rand
	maxClients int
	in         genInput
	nc         int // clients so far
	np         int // payments so far
	zones      map[string]*time.Location
}

var genStart = referral.NewDate(2025, time.January, 1)

func (g *generator) zone(code string) *time.Location {
	if g.zones == nil {
		g.zones = map[string]*time.Location{}
	}
	if loc, ok := g.zones[code]; ok {
		return loc
	}
	loc, err := time.LoadLocation(genCountries[code].zone)
	if err != nil {
		panic(err)
	}
	g.zones[code] = loc
	return loc
}

// accountant adds an accountant of country code with its clients.
func (g *generator) accountant(id, code string) {
	a := referral.Accountant{ID: id, Country: code, Registered: g.r.IntN(7) > 0}
	switch g.r.IntN(4) {
	case 0: // never activated
	case 1:
		a.ActivatedOn = genStart
	default:
		a.ActivatedOn = genStart.AddDays(200 + g.r.IntN(330))
	}
	g.in.accs = append(g.in.accs, a)
	n := g.r.IntN(17)
	if g.r.IntN(3) == 0 { // enough for level 2 or 3 some months
		n = 10 + g.r.IntN(14)
	}
	for range n {
		g.client(a, code)
	}
}

// client adds a client of accountant a with a run of payments.
func (g *generator) client(a referral.Accountant, code string) {
	if g.maxClients > 0 && g.nc >= g.maxClients {
		return
	}
	g.nc++
	c := referral.Client{ID: fmt.Sprintf("c-%d", g.nc), AccountantID: a.ID,
		LinkedOn: genStart.AddDays(g.r.IntN(480))}
	if g.r.IntN(5) == 0 {
		c.UnlinkedOn = c.LinkedOn.AddDays(g.r.IntN(300) - 20)
		if c.UnlinkedOn.IsZero() {
			c.UnlinkedOn = c.LinkedOn
		}
	}
	g.in.clients = append(g.in.clients, c)

	start := c.LinkedOn.AddDays(g.r.IntN(60) - 30)
	n := 1 + g.r.IntN(6)
	if g.r.IntN(3) == 0 { // long enough to leave the first year (D5)
		n = 8 + g.r.IntN(12)
	}
	for range n {
		end := start.AddMonths(1).AddDays(-1)
		if g.r.IntN(6) == 0 {
			end = start.AddDays(g.r.IntN(45))
		}
		g.payment(c, code, start, end)
		start = end.AddDays(1)
		if g.r.IntN(4) == 0 {
			start = start.AddDays(1 + g.r.IntN(20))
		}
	}
}

// payment adds a payment of client c for the days start to end.
func (g *generator) payment(c referral.Client, code string, start, end referral.Date) {
	g.np++
	loc := g.zone(code)
	p := referral.Payment{ID: fmt.Sprintf("p-%d", g.np), ClientID: c.ID, PeriodStart: start,
		PeriodEnd: end, Currency: genCountries[code].currency}
	p.PaidAt = g.instant(start.AddDays(g.r.IntN(3)-1), loc)
	if g.r.IntN(7) == 0 {
		p.Currency = []string{"USD", "COP", "CLP", "KWD"}[g.r.IntN(4)]
	}
	p.Amount = g.amount(map[string]int32{"CLP": 0, "KWD": 3}, p.Currency)
	if g.r.IntN(8) == 0 {
		p.Promotion = "ANUAL"
	}
	if g.r.IntN(6) == 0 {
		p.RefundedAt = p.PaidAt
		if g.r.IntN(8) > 0 {
			p.RefundedAt = p.PaidAt.Add(time.Duration(g.r.IntN(70*24*3600)) * time.Second)
		}
		p.RefundedAt = p.RefundedAt.In(g.offset(loc))
	}
	g.in.pays = append(g.in.pays, p)
}

// instant returns a time on local day d in loc, a third of the time in the
// last or first hour of a local month, written with one of several offsets.
func (g *generator) instant(d referral.Date, loc *time.Location) time.Time {
	var t time.Time
	switch g.r.IntN(6) {
	case 0: // the last seconds of the local month
		last := d.Month().Last()
		t = last.Close(loc).Add(-time.Duration(1+g.r.IntN(3600)) * time.Second)
	case 1: // the first hour of the local month, sometimes its very first instant
		t = d.Month().First().Start(loc).Add(time.Duration(g.r.IntN(2)*g.r.IntN(3600)) * time.Second)
	default:
		t = d.Start(loc).Add(time.Duration(g.r.IntN(24*3600)) * time.Second)
	}
	if g.r.IntN(5) == 0 {
		t = t.Add(time.Duration(g.r.IntN(1000)) * time.Millisecond)
	}
	return t.In(g.offset(loc))
}

// offset returns a zone to write an instant in: the local one, UTC or a
// fixed offset that moves the written date.
func (g *generator) offset(loc *time.Location) *time.Location {
	switch g.r.IntN(4) {
	case 0:
		return time.UTC
	case 1:
		return time.FixedZone("", (g.r.IntN(27)-12)*3600+g.r.IntN(2)*1800)
	}
	return loc
}

// amount returns a positive amount of currency cur, written with 0 to the
// currency's minor digits (2 unless digits says otherwise).
func (g *generator) amount(digits map[string]int32, cur string) decimal.Decimal {
	n, ok := digits[cur]
	if !ok {
		n = 2
	}
	whole := decimal.NewFromInt(int64(1 + g.r.IntN(250000)))
	places := int32(g.r.IntN(int(n) + 1))
	if places == 0 {
		return whole
	}
	scale := int64(1)
	for range places {
		scale *= 10
	}
	return whole.Add(decimal.New(g.r.Int64N(scale), -places))
}

// genCSV writes in as the three files of a data folder. shuffle, when not
// nil, reorders the rows and the columns of each file.
func genCSV(in genInput, shuffle *rand.Rand) (accs, clients, pays string) {
	var a, c, p [][]string
	for _, x := range in.accs {
		a = append(a, []string{x.ID, x.Country, strconv.FormatBool(x.Registered), x.ActivatedOn.String()})
	}
	for _, x := range in.clients {
		c = append(c, []string{x.ID, x.AccountantID, x.LinkedOn.String(), x.UnlinkedOn.String()})
	}
	for _, x := range in.pays {
		refunded := ""
		if !x.RefundedAt.IsZero() {
			refunded = x.RefundedAt.Format(time.RFC3339Nano)
		}
		p = append(p, []string{x.ID, x.ClientID, x.PaidAt.Format(time.RFC3339Nano), x.PeriodStart.String(),
			x.PeriodEnd.String(), x.Amount.String(), x.Currency, x.Promotion, refunded})
	}
	accs = csvText(shuffle, []string{"accountant_id", "country", "registered", "activated_on"}, a)
	clients = csvText(shuffle, []string{"client_id", "accountant_id", "linked_on", "unlinked_on"}, c)
	pays = csvText(shuffle, []string{"payment_id", "client_id", "paid_at", "period_start", "period_end",
		"amount", "currency", "promotion", "refunded_at"}, p)
	return accs, clients, pays
}

// csvText writes a header and rows as CSV, shuffled by r when it is set.
func csvText(r *rand.Rand, header []string, rows [][]string) string {
	cols := make([]int, len(header))
	for i := range cols {
		cols[i] = i
	}
	if r != nil {
		r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
		rows = slices.Clone(rows)
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	for _, rec := range append([][]string{header}, rows...) {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = rec[c]
		}
		if err := w.Write(out); err != nil {
			panic(err)
		}
	}
	w.Flush()
	return b.String()
}

// readGenCSV reads the three files with referral.ReadCSV.
func readGenCSV(tb testing.TB, r *commission.Rules, accs, clients, pays string) *referral.Dataset {
	tb.Helper()
	ds, err := referral.ReadCSV(strings.NewReader(accs), strings.NewReader(clients), strings.NewReader(pays), r)
	if err != nil {
		tb.Fatalf("ReadCSV of generated data: %v", err)
	}
	return ds
}

// computeGen runs Compute and fails the test on an error.
func computeGen(tb testing.TB, r *commission.Rules, ds *referral.Dataset, from, to referral.Month) []commission.Statement {
	tb.Helper()
	sts, err := commission.Compute(r, ds, from, to)
	if err != nil {
		tb.Fatalf("Compute(%v, %v): %v", from, to, err)
	}
	return sts
}

// flat returns sts in the flat CSV form, statements then lines.
func flat(tb testing.TB, sts []commission.Statement) string {
	tb.Helper()
	var s, l bytes.Buffer
	if err := commission.WriteCSV(&s, &l, sts); err != nil {
		tb.Fatalf("WriteCSV: %v", err)
	}
	return s.String() + "\n" + l.String()
}

// forSeeds runs check on the dataset of each seed, as a subtest named for
// the seed.
func forSeeds(t *testing.T, check func(t *testing.T, r *commission.Rules, in genInput, seed uint64)) {
	r := genRules(t)
	for seed := uint64(1); seed <= uint64(genSeeds()); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			check(t, r, genData(seed), seed)
		})
	}
}

// The generator makes what the properties need: statements at every level
// band and with every line reason, refund adjustments, several currencies.
func TestGeneratorCoverage(t *testing.T) {
	r := genRules(t)
	levels, reasons, currencies := map[int]bool{}, map[commission.Reason]bool{}, map[string]bool{}
	for seed := uint64(1); seed <= 60; seed++ { // the full count even with -short
		for _, st := range computeGen(t, r, genData(seed).build(t, r), genFrom, genTo) {
			levels[st.Level] = true
			currencies[st.Currency] = true
			reasons[st.Reason] = true
			for _, ln := range st.Lines {
				reasons[ln.Reason] = true
			}
		}
	}
	for _, l := range []int{0, 1, 2, 3} {
		if !levels[l] {
			t.Errorf("no statement at level %d", l)
		}
	}
	for _, why := range []commission.Reason{"", commission.NotActivated, commission.NoLevel, commission.NotLinked,
		commission.Refunded, commission.Promoted, commission.OutsideFirstYear, commission.RefundAdjustment} {
		if !reasons[why] {
			t.Errorf("no statement or line with reason %q", why)
		}
	}
	for _, cur := range []string{"COP", "DOP", "USD", "CRC", "CLP", "KWD"} {
		if !currencies[cur] {
			t.Errorf("no statement in %s", cur)
		}
	}
}

// checkAmounts checks the arithmetic a statement promises: the shares
// of its payment lines add up exactly to the commission (D8); the
// commission is never negative, is the rate times the base rounded once
// (D7), and so never above the base times the highest rate rounded up to
// the minor unit; a line that earns nothing has share 0; adjustments are
// the sum of the refund lines, each negative; net = commission +
// adjustments; the base is the sum of the lines that would earn (F7).
func checkAmounts(t testing.TB, r *commission.Rules, st *commission.Statement) {
	t.Helper()
	key := fmt.Sprintf("%s %v %s", st.AccountantID, st.Month, st.Currency)
	digits, ok := r.Currencies[st.Currency]
	if !ok || st.Digits != digits {
		t.Fatalf("%s: %d digits, want %d (%v)", key, st.Digits, digits, ok)
	}
	levels := r.Levels.Levels()
	maxRate := levels[len(levels)-1].Rate
	level, onLevel := r.Levels.Lookup(st.ActivePaidReferrals)
	if st.Level != level.Number || !st.Rate.Equal(level.Rate) || (st.Level == 0) == onLevel {
		t.Fatalf("%s: level %d rate %s for %d referrals, want %d rate %s",
			key, st.Level, st.Rate, st.ActivePaidReferrals, level.Number, level.Rate)
	}

	shares, adjustments, base := decimal.Zero, decimal.Zero, decimal.Zero
	for _, ln := range st.Lines {
		if ln.Amount.Sign() <= 0 || -ln.Amount.Exponent() > int32(digits) {
			t.Fatalf("%s %s: amount %s is not a positive amount of %s", key, ln.PaymentID, ln.Amount, st.Currency)
		}
		switch ln.Reason {
		case commission.RefundAdjustment:
			if ln.Share.Sign() >= 0 {
				t.Fatalf("%s %s: refund adjustment %s, want a negative share", key, ln.PaymentID, ln.Share)
			}
			adjustments = adjustments.Add(ln.Share)
			continue
		case "", st.Reason:
			base = base.Add(ln.Amount)
		}
		if ln.Reason != "" && !ln.Share.IsZero() {
			t.Fatalf("%s %s: share %s with reason %s, want 0", key, ln.PaymentID, ln.Share, ln.Reason)
		}
		if ln.Share.Sign() < 0 || ln.Share.GreaterThan(ln.Amount) {
			t.Fatalf("%s %s: share %s of amount %s", key, ln.PaymentID, ln.Share, ln.Amount)
		}
		shares = shares.Add(ln.Share)
	}

	want := decimal.Zero
	if st.Reason == "" {
		want = st.Rate.Mul(st.Base).Round(int32(digits)) // half up (D7)
	}
	ceiling := st.Base.Mul(maxRate).RoundCeil(int32(digits))
	switch {
	case !st.Base.Equal(base):
		t.Fatalf("%s: base %s, the lines that would earn add up to %s", key, st.Base, base)
	case !shares.Equal(st.Commission):
		t.Fatalf("%s: shares add up to %s, commission %s", key, shares, st.Commission)
	case st.Commission.Sign() < 0 || st.Commission.GreaterThan(ceiling):
		t.Fatalf("%s: commission %s outside [0, %s] (base %s x %s)", key, st.Commission, ceiling, st.Base, maxRate)
	case !st.Commission.Equal(want):
		t.Fatalf("%s: commission %s, want %s x %s rounded = %s", key, st.Commission, st.Rate, st.Base, want)
	case !st.Adjustments.Equal(adjustments):
		t.Fatalf("%s: adjustments %s, the refund lines add up to %s", key, st.Adjustments, adjustments)
	case !st.Net.Equal(st.Commission.Add(st.Adjustments)):
		t.Fatalf("%s: net %s != commission %s + adjustments %s", key, st.Net, st.Commission, st.Adjustments)
	}
}

func TestPropertyStatementAmounts(t *testing.T) {
	forSeeds(t, func(t *testing.T, r *commission.Rules, in genInput, _ uint64) {
		sts := computeGen(t, r, in.build(t, r), genFrom, genTo)
		for i := range sts {
			checkAmounts(t, r, &sts[i])
		}
	})
}

// Adding an active paid referral (a client linked before the day, with a
// payment that covers the day, paid before it and never refunded) raises
// the count by exactly one, and the level never falls: on any day through
// CountActive, and at a month's end through the statement of that month.
func TestPropertyLevelNeverFallsWithAnotherReferral(t *testing.T) {
	forSeeds(t, func(t *testing.T, r *commission.Rules, in genInput, seed uint64) {
		ds := in.build(t, r)
		rnd := rand.New(rand.NewPCG(seed, 1))
		for _, a := range in.accs {
			c, ok := r.Countries[a.Country]
			if !ok {
				continue
			}
			cv := referral.Coverage{Location: c.Location, GraceDays: r.GraceDays}
			m := genFrom.Add(rnd.IntN(int(genTo - genFrom + 1)))
			day := m.Last()
			if rnd.IntN(2) == 0 {
				day = m.First().AddDays(rnd.IntN(28))
			}
			more := in.clone()
			more.clients = append(more.clients, referral.Client{ID: "c-new", AccountantID: a.ID,
				LinkedOn: day.AddDays(-rnd.IntN(40))})
			more.pays = append(more.pays, referral.Payment{ID: "p-new", ClientID: "c-new",
				PaidAt:      day.AddDays(-rnd.IntN(20)).Start(c.Location).Add(time.Hour),
				PeriodStart: day.AddDays(-20), PeriodEnd: day.AddDays(rnd.IntN(30)),
				Amount: decimal.NewFromInt(100), Currency: c.Currency})
			dsMore := more.build(t, r)

			before, after := ds.CountActive(a.ID, day, cv), dsMore.CountActive(a.ID, day, cv)
			lb, _ := r.Levels.Lookup(before.Active)
			la, _ := r.Levels.Lookup(after.Active)
			if after.Active != before.Active+1 || la.Number < lb.Number {
				t.Fatalf("%s on %v: %d referrals at level %d, with one more active client %d at level %d",
					a.ID, day, before.Active, lb.Number, after.Active, la.Number)
			}
			if !a.Registered || day != m.Last() {
				continue
			}
			sb := homeStatement(t, computeGen(t, r, ds, m, m), a.ID, c.Currency)
			sa := homeStatement(t, computeGen(t, r, dsMore, m, m), a.ID, c.Currency)
			if sa.ActivePaidReferrals != sb.ActivePaidReferrals+1 || sa.Level < sb.Level {
				t.Fatalf("%s %v: statement level %d (%d referrals), with one more active client %d (%d)",
					a.ID, m, sb.Level, sb.ActivePaidReferrals, sa.Level, sa.ActivePaidReferrals)
			}
		}
	})
}

// homeStatement returns the statement of accountant id in currency cur
// among sts, which are of one month.
func homeStatement(t *testing.T, sts []commission.Statement, id, cur string) commission.Statement {
	t.Helper()
	for _, st := range sts {
		if st.AccountantID == id && st.Currency == cur {
			return st
		}
	}
	t.Fatalf("no statement of %s in %s", id, cur)
	return commission.Statement{}
}

// A closed month's statements do not change when data arrives after its
// close (D9, F2): payments paid later (even for periods that cover the
// closed month), refunds made later of payments not yet refunded, and new
// clients, linked at any time, whose payments are all later.
func TestPropertyClosedMonthDoesNotChange(t *testing.T) {
	forSeeds(t, func(t *testing.T, r *commission.Rules, in genInput, seed uint64) {
		rnd := rand.New(rand.NewPCG(seed, 2))
		closed := genFrom.Add(1 + rnd.IntN(int(genTo-genFrom)-1))
		// Noon UTC on the 1st is after the close of the month before in
		// every zone of the program (all are behind UTC).
		after := func() time.Time {
			return closed.Add(1).First().Start(time.UTC).Add(12*time.Hour +
				time.Duration(rnd.IntN(90*24*3600))*time.Second)
		}
		want := flat(t, computeGen(t, r, in.build(t, r), genFrom, closed))

		more := in.clone()
		for i := range more.pays {
			if p := &more.pays[i]; p.RefundedAt.IsZero() && rnd.IntN(3) == 0 {
				p.RefundedAt = after()
				if p.RefundedAt.Before(p.PaidAt) {
					p.RefundedAt = p.PaidAt
				}
			}
		}
		for i := range 1 + rnd.IntN(8) {
			cl := in.clients[rnd.IntN(len(in.clients))]
			if rnd.IntN(3) == 0 { // a new client of the same accountant
				cl = referral.Client{ID: fmt.Sprintf("c-late-%d", i), AccountantID: cl.AccountantID,
					LinkedOn: closed.First().AddDays(-rnd.IntN(200))}
				more.clients = append(more.clients, cl)
			}
			paid := after()
			more.pays = append(more.pays, referral.Payment{ID: fmt.Sprintf("p-late-%d", i), ClientID: cl.ID,
				PaidAt: paid, PeriodStart: closed.Last().AddDays(-rnd.IntN(40)), PeriodEnd: closed.Last().AddDays(40),
				Amount: decimal.NewFromInt(int64(1 + rnd.IntN(90000))), Currency: "USD"})
		}
		dsMore := more.build(t, r)

		// Months up to the close, computed on their own and as part of a
		// longer run, are the same as before.
		if got := flat(t, computeGen(t, r, dsMore, genFrom, closed)); got != want {
			t.Fatalf("statements through %v changed when later data was added:\n%s", closed, diffLines(want, got))
		}
		var early []commission.Statement
		for _, st := range computeGen(t, r, dsMore, genFrom, genTo) {
			if st.Month <= closed {
				early = append(early, st)
			}
		}
		if got := flat(t, early); got != want {
			t.Fatalf("statements through %v, computed through %v, changed:\n%s", closed, genTo, diffLines(want, got))
		}
	})
}

// diffLines returns the lines of want and got that differ, for messages.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)) && b.Len() < 2000; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// Reordering the rows, and the columns, of the three input files changes
// no byte of the statements, in the flat CSV form or in JSON.
func TestPropertyInputOrderChangesNothing(t *testing.T) {
	forSeeds(t, func(t *testing.T, r *commission.Rules, in genInput, seed uint64) {
		outputs := func(shuffle *rand.Rand) (string, string) {
			a, c, p := genCSV(in, shuffle)
			sts := computeGen(t, r, readGenCSV(t, r, a, c, p), genFrom, genTo)
			js, err := json.Marshal(sts)
			if err != nil {
				t.Fatalf("json.Marshal: %v", err)
			}
			return flat(t, sts), string(js)
		}
		wantCSV, wantJSON := outputs(nil)
		for k := range uint64(3) {
			gotCSV, gotJSON := outputs(rand.New(rand.NewPCG(seed, 10+k)))
			if gotCSV != wantCSV {
				t.Fatalf("shuffle %d changed the CSV statements:\n%s", k, diffLines(wantCSV, gotCSV))
			}
			if gotJSON != wantJSON {
				t.Fatalf("shuffle %d changed the JSON statements", k)
			}
		}
	})
}

// Running each accountant on its own, with only its own rows, and joining
// the results in accountant order gives the statements of one run over
// everyone; so do ComputeParallel and ComputeEach one accountant at a time.
func TestPropertySeparateRunsJoin(t *testing.T) {
	forSeeds(t, func(t *testing.T, r *commission.Rules, in genInput, _ uint64) {
		ds := in.build(t, r)
		want := flat(t, computeGen(t, r, ds, genFrom, genTo))

		var joined, each []commission.Statement
		for _, a := range ds.Accountants() {
			one := genInput{accs: []referral.Accountant{a}}
			for _, c := range in.clients {
				if c.AccountantID == a.ID {
					one.clients = append(one.clients, c)
					one.pays = append(one.pays, ds.PaymentsOf(c.ID)...)
				}
			}
			joined = append(joined, computeGen(t, r, one.build(t, r), genFrom, genTo)...)
			sts, err := commission.ComputeEach(r, ds, genFrom, genTo, 2,
				func(x referral.Accountant) bool { return x.ID == a.ID })
			if err != nil {
				t.Fatalf("ComputeEach(%s): %v", a.ID, err)
			}
			each = append(each, sts...)
		}
		if got := flat(t, joined); got != want {
			t.Fatalf("separate runs joined differ from one run:\n%s", diffLines(want, got))
		}
		if got := flat(t, each); got != want {
			t.Fatalf("ComputeEach one accountant at a time differs from Compute:\n%s", diffLines(want, got))
		}
		par, err := commission.ComputeParallel(r, ds, genFrom, genTo, 3)
		if err != nil {
			t.Fatalf("ComputeParallel: %v", err)
		}
		if got := flat(t, par); got != want {
			t.Fatalf("ComputeParallel differs from Compute:\n%s", diffLines(want, got))
		}
	})
}

// Writing statements in the flat CSV form and reading them back loses
// nothing: every field of every statement and line comes back, with the
// country, digits and payout that the flat form leaves to the accountant,
// the currency and the rules. Amounts are written with exactly the
// currency's minor digits and never as -0 (F12).
func TestPropertyFlatCSVRoundTrip(t *testing.T) {
	forSeeds(t, func(t *testing.T, r *commission.Rules, in genInput, _ uint64) {
		ds := in.build(t, r)
		sts := computeGen(t, r, ds, genFrom, genTo)
		var sb, lb bytes.Buffer
		if err := commission.WriteCSV(&sb, &lb, sts); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		back := readFlat(t, r, ds, sb.String(), lb.String())
		if len(back) != len(sts) {
			t.Fatalf("%d statements written, %d read back", len(sts), len(back))
		}
		for i := range sts {
			if diff := statementDiff(&sts[i], &back[i]); diff != "" {
				t.Fatalf("statement %d (%s %v %s) read back with %s",
					i, sts[i].AccountantID, sts[i].Month, sts[i].Currency, diff)
			}
		}
	})
}

// readFlat reads statements.csv and lines.csv text back into statements:
// a small reader of the flat form, independent of the package's writer.
func readFlat(t *testing.T, r *commission.Rules, ds *referral.Dataset, stText, lnText string) []commission.Statement {
	t.Helper()
	rows := func(text string, header []string) [][]string {
		recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil || len(recs) == 0 || !slices.Equal(recs[0], header) {
			t.Fatalf("flat CSV: header %v, %v; want %v", recs[:min(1, len(recs))], err, header)
		}
		return recs[1:]
	}
	var sts []commission.Statement
	index := map[string]int{}
	for _, rec := range rows(stText, commission.StatementsHeader) {
		a, ok := ds.Accountant(rec[0])
		if !ok {
			t.Fatalf("statement of unknown accountant %q", rec[0])
		}
		st := commission.Statement{AccountantID: rec[0], Country: a.Country, Month: flatMonth(t, rec[1]),
			Currency: rec[2], Digits: r.Currencies[rec[2]], Level: flatInt(t, rec[3]),
			ActivePaidReferrals: flatInt(t, rec[4]), Rate: decimal.RequireFromString(rec[5]),
			PayableMonth: flatMonth(t, rec[10]), Payout: r.Payout, Reason: commission.Reason(rec[11])}
		for i, p := range []*decimal.Decimal{&st.Base, &st.Commission, &st.Adjustments, &st.Net} {
			*p = flatAmount(t, rec[6+i], st.Digits)
		}
		index[strings.Join(rec[:3], ",")] = len(sts)
		sts = append(sts, st)
	}
	for _, rec := range rows(lnText, commission.LinesHeader) {
		i, ok := index[strings.Join(rec[:3], ",")]
		if !ok {
			t.Fatalf("line %v of no statement", rec)
		}
		st := &sts[i]
		st.Lines = append(st.Lines, commission.Line{PaymentID: rec[3], ClientID: rec[4],
			Amount: flatAmount(t, rec[5], st.Digits), Share: flatAmount(t, rec[6], st.Digits),
			Reason: commission.Reason(rec[7])})
	}
	return sts
}

func flatInt(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("flat CSV: %v", err)
	}
	return n
}

func flatMonth(t *testing.T, s string) referral.Month {
	t.Helper()
	m, err := referral.ParseMonth(s)
	if err != nil {
		t.Fatalf("flat CSV: %v", err)
	}
	return m
}

// flatAmount reads an amount of the flat form, which has exactly digits
// decimals and is never written "-0".
func flatAmount(t *testing.T, s string, digits int) decimal.Decimal {
	t.Helper()
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac = s[i+1:]
	}
	d, err := decimal.NewFromString(s)
	if err != nil || len(frac) != digits || (digits == 0 && strings.Contains(s, ".")) ||
		(d.IsZero() && strings.HasPrefix(s, "-")) {
		t.Fatalf("flat CSV amount %q: want a decimal with exactly %d decimals and no -0 (%v)", s, digits, err)
	}
	return d
}

// statementDiff names the first field in which a and b differ, "" when
// none does. Decimals compare by value.
func statementDiff(a, b *commission.Statement) string {
	type field struct {
		name string
		x, y any
	}
	dec := func(x, y decimal.Decimal) any {
		if x.Equal(y) {
			return nil
		}
		return x.String() + " vs " + y.String()
	}
	fields := []field{
		{"accountant", a.AccountantID, b.AccountantID}, {"country", a.Country, b.Country},
		{"month", a.Month, b.Month}, {"currency", a.Currency, b.Currency}, {"digits", a.Digits, b.Digits},
		{"level", a.Level, b.Level}, {"referrals", a.ActivePaidReferrals, b.ActivePaidReferrals},
		{"payable month", a.PayableMonth, b.PayableMonth}, {"payout", a.Payout, b.Payout},
		{"reason", a.Reason, b.Reason}, {"lines", len(a.Lines), len(b.Lines)},
		{"rate", dec(a.Rate, b.Rate), nil}, {"base", dec(a.Base, b.Base), nil},
		{"commission", dec(a.Commission, b.Commission), nil},
		{"adjustments", dec(a.Adjustments, b.Adjustments), nil}, {"net", dec(a.Net, b.Net), nil},
	}
	for _, f := range fields {
		if f.x != f.y {
			return fmt.Sprintf("another %s: %v, %v", f.name, f.x, f.y)
		}
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.PaymentID != y.PaymentID || x.ClientID != y.ClientID || x.Reason != y.Reason ||
			!x.Amount.Equal(y.Amount) || !x.Share.Equal(y.Share) {
			return fmt.Sprintf("another line %d: %+v, %+v", i, x, y)
		}
	}
	return ""
}
