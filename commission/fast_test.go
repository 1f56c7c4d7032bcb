package commission

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
)

// The exact integer path (fast.go) must give the amounts of the plain
// decimal computation: the base summed in decimals, the commission rounded
// once with decimal's Round or RoundBank (D7), and the shares of Allocate
// (D8). These tests compare the two on random data, near the int64 limit
// included, and on whole runs of Compute with the integer path on and off.

// TestToUnits checks the conversion of amounts to minor units, and that it
// refuses what it cannot hold exactly.
func TestToUnits(t *testing.T) {
	tests := []struct {
		name   string
		amount string
		digits int
		want   int64
		ok     bool
	}{
		{"whole amount", "69900", 2, 6990000, true},
		{"written with the currency's decimals", "89900.00", 2, 8990000, true},
		{"fewer decimals than the currency", "0.5", 2, 50, true},
		{"no minor units", "125", 0, 125, true},
		{"three minor digits", "1.234", 3, 1234, true},
		{"extra zero decimals", "100.000", 2, 10000, true},
		{"a fraction of a minor unit", "0.001", 2, 0, false},
		{"zero", "0", 2, 0, false},
		{"negative", "-1.00", 2, 0, false},
		{"18 digits", "9999999999999999.99", 2, 999999999999999999, true},
		{"19 digits take the decimal path", "92233720368547758.07", 2, 0, false},
		{"one minor unit past the int64 limit", "92233720368547758.08", 2, 0, false},
		{"past the limit by scaling", "922337203685477581", 2, 0, false},
		{"a coefficient past int64", "123456789012345678901234", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := toUnits(decimal.RequireFromString(tc.amount), tc.digits)
			if got != tc.want || ok != tc.ok {
				t.Errorf("toUnits(%s, %d) = %d, %t, want %d, %t", tc.amount, tc.digits, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestToFraction checks that rates become exact fractions over a power of
// ten, and that a rate above 100% is refused.
func TestToFraction(t *testing.T) {
	tests := []struct {
		rate     string
		num, den uint64
		ok       bool
	}{
		{"0.1", 1, 10, true},
		{"0.15", 15, 100, true},
		{"0.25", 25, 100, true},
		{"0.125", 125, 1000, true},
		{"1", 1, 1, true},
		{"0", 0, 1, true},
		{"0.000000000000000001", 1, 1e18, true},
		{"0.0000000000000000001", 0, 0, false},
		{"1.5", 0, 0, false},
		{"-0.1", 0, 0, false},
	}
	for _, tc := range tests {
		f, ok := toFraction(decimal.RequireFromString(tc.rate))
		if ok != tc.ok || (ok && (f.num != tc.num || f.den != tc.den)) {
			t.Errorf("toFraction(%s) = %d/%d, %t, want %d/%d, %t", tc.rate, f.num, f.den, ok, tc.num, tc.den, tc.ok)
		}
	}
}

// TestSettleUnitsMatchesDecimal draws random months and compares the
// integer base, commission and shares with the decimal computation. When
// the integer path declines, the base must really be past int64.
func TestSettleUnitsMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2026))
	rates := []string{"0.1", "0.15", "0.2", "0.25", "0.125", "0.07", "0.3333", "0.999999999", "1",
		"0.000000000000000001", "0.123456789012345678"}
	var s unitScratch
	declined := 0
	for iter := range 20000 {
		rate := decimal.RequireFromString(rates[rng.IntN(len(rates))])
		digits := []int{0, 2, 2, 3}[rng.IntN(4)]
		mode := Rounding(rng.IntN(2))
		n := rng.IntN(25)
		amounts := make([]uint64, n)
		decs := make([]decimal.Decimal, n)
		for i := range amounts {
			amounts[i] = randomUnits(rng, n)
			decs[i] = decimal.New(int64(amounts[i]), -int32(digits))
		}
		f, ok := toFraction(rate)
		if !ok {
			t.Fatalf("toFraction(%s) refused", rate)
		}

		wantBase := decimal.Sum(decimal.Zero, decs...)
		base, total, shares, ok := s.settleUnits(f, amounts, mode)
		if !ok {
			limit := decimal.New(math.MaxInt64, -int32(digits))
			if !wantBase.GreaterThan(limit) {
				t.Fatalf("case %d: integer path declined a base of %s that fits", iter, wantBase)
			}
			declined++
			continue
		}
		wantTotal := round(rate.Mul(wantBase), int32(digits), mode)
		wantShares := Allocate(rate, wantTotal, decs, int32(digits))
		name := fmt.Sprintf("case %d: rate %s, %s, amounts %v (digits %d)", iter, rate, mode, amounts, digits)
		if got := units(base, digits); !got.Equal(wantBase) {
			t.Fatalf("%s: base = %s, want %s", name, got, wantBase)
		}
		if got := units(total, digits); !got.Equal(wantTotal) {
			t.Fatalf("%s: commission = %s, want %s", name, got, wantTotal)
		}
		for i := range shares {
			if got := units(shares[i], digits); !got.Equal(wantShares[i]) {
				t.Fatalf("%s: share %d = %s, want %s", name, i, got, wantShares[i])
			}
		}
	}
	if declined == 0 {
		t.Errorf("no case passed the int64 limit: the fallback went untested")
	}
}

// randomUnits draws an amount in minor units: mostly ordinary prices, some
// with halves that test the rounding, and some so large that n of them
// come near or past the int64 limit.
func randomUnits(rng *rand.Rand, n int) uint64 {
	switch rng.IntN(6) {
	case 0:
		return 1 + rng.Uint64N(100)
	case 1:
		return 5 * (1 + rng.Uint64N(20000)) // ends in 5 or 0: exact halves at 10%
	case 2:
		return 1 + rng.Uint64N(math.MaxInt64)
	case 3:
		if n == 0 {
			n = 1
		}
		near := uint64(math.MaxInt64) / uint64(n)
		return near - rng.Uint64N(1000)%near + rng.Uint64N(3) // around MaxInt64/n
	}
	return 1 + rng.Uint64N(100_000_000)
}

// TestRoundUnits checks the rounding of the commission at exact halves and
// around them, in both modes (D7).
func TestRoundUnits(t *testing.T) {
	tests := []struct {
		rate string
		base uint64
		mode Rounding
		want uint64
	}{
		{"0.1", 5, HalfUp, 1},   // 0.5
		{"0.1", 5, HalfEven, 0}, // 0.5 to even
		{"0.1", 15, HalfEven, 2},
		{"0.1", 14, HalfUp, 1},
		{"0.1", 16, HalfEven, 2},
		{"0.15", 10, HalfUp, 2},   // 1.5
		{"0.15", 10, HalfEven, 2}, // 1.5 to even
		{"0.25", 2, HalfUp, 1},    // 0.5
		{"0.25", 2, HalfEven, 0},
		{"1", math.MaxInt64, HalfUp, math.MaxInt64},
		{"0.5", math.MaxUint64, HalfUp, 1 << 63},
	}
	for _, tc := range tests {
		f, _ := toFraction(decimal.RequireFromString(tc.rate))
		if got := f.round(tc.base, tc.mode); got != tc.want {
			t.Errorf("round(%s x %d, %s) = %d, want %d", tc.rate, tc.base, tc.mode, got, tc.want)
		}
	}
}

// TestComputeUnitsMatchesDecimal runs Compute with the integer path on and
// off, on the demo data and on random datasets (huge amounts included, so
// that some months fall back to decimals), and wants the same CSV bytes.
func TestComputeUnitsMatchesDecimal(t *testing.T) {
	for _, mode := range []Rounding{HalfUp, HalfEven} {
		r := unitsTestRules(t, mode)
		ds, err := referral.ReadDir("../examples/data/demo", r)
		if err != nil {
			t.Fatalf("ReadDir(demo): %v", err)
		}
		compareUnitsWithDecimal(t, fmt.Sprintf("demo, %s", mode), r, ds, "2025-01", "2026-11")
		for seed := range uint64(8) {
			ds := randomDataset(t, r, seed)
			compareUnitsWithDecimal(t, fmt.Sprintf("seed %d, %s", seed, mode), r, ds, "2026-01", "2026-06")
		}
	}
}

func compareUnitsWithDecimal(t *testing.T, name string, r *Rules, ds *referral.Dataset, from, to string) {
	t.Helper()
	fromM, _ := referral.ParseMonth(from)
	toM, _ := referral.ParseMonth(to)
	run := func(fast bool) (s, l []byte) {
		t.Helper()
		defer func(old bool) { useUnits = old }(useUnits)
		useUnits = fast
		sts, err := Compute(r, ds, fromM, toM)
		if err != nil {
			t.Fatalf("%s: Compute: %v", name, err)
		}
		var sb, lb bytes.Buffer
		if err := WriteCSV(&sb, &lb, sts); err != nil {
			t.Fatalf("%s: WriteCSV: %v", name, err)
		}
		return sb.Bytes(), lb.Bytes()
	}
	fs, fl := run(true)
	ds2, dl := run(false)
	if !bytes.Equal(fs, ds2) {
		t.Errorf("%s: statements.csv differs between the integer and the decimal path", name)
	}
	if !bytes.Equal(fl, dl) {
		t.Errorf("%s: lines.csv differs between the integer and the decimal path", name)
	}
}

// unitsTestRules are the program's default rules, built by hand (the root
// package, which loads rules.yaml, imports this one).
func unitsTestRules(t *testing.T, mode Rounding) *Rules {
	t.Helper()
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatalf("LoadLocation(%q): %v", name, err)
		}
		return loc
	}
	d := decimal.RequireFromString
	return &Rules{
		Levels: tier.MustNew([]tier.Level{
			{Number: 1, Min: 5, Max: 8, Rate: d("0.1")},
			{Number: 2, Min: 9, Max: 12, Rate: d("0.15")},
			{Number: 3, Min: 13, Max: 25, Rate: d("0.2")},
			{Number: 4, Min: 26, Rate: d("0.25")},
		}),
		Countries: map[string]Country{
			"CO": {Code: "CO", Currency: "COP", Location: zone("America/Bogota")},
			"DO": {Code: "DO", Currency: "DOP", Location: zone("America/Santo_Domingo")},
			"PA": {Code: "PA", Currency: "USD", Location: zone("America/Panama")},
			"CR": {Code: "CR", Currency: "CRC", Location: zone("America/Costa_Rica")},
		},
		Currencies:   map[string]int{"COP": 2, "DOP": 2, "USD": 2, "CRC": 2},
		WindowMonths: 12, PayoutDelayMonths: 1, Rounding: mode,
		ExcludePromotedSales: true, RequireActivation: true, Payout: "service_credit",
	}
}

// randomDataset builds a small dataset whose accountants sit on every
// level, with refunds, promotions, other currencies and, for some
// accountants, amounts whose sum passes the int64 limit.
func randomDataset(t *testing.T, r *Rules, seed uint64) *referral.Dataset {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 77))
	countries := []string{"CO", "DO", "PA", "CR"}
	currencies := []string{"COP", "DOP", "USD", "CRC"}
	start := referral.NewDate(2025, time.October, 1)
	var accs []referral.Accountant
	var clients []referral.Client
	var pays []referral.Payment
	for a := range 12 {
		acc := referral.Accountant{
			ID: fmt.Sprintf("a-%02d", a), Country: countries[rng.IntN(4)], Registered: true,
			ActivatedOn: start + referral.Date(rng.IntN(200)),
		}
		accs = append(accs, acc)
		huge := rng.IntN(4) == 0
		for c := range 3 + rng.IntN(30) {
			cl := referral.Client{
				ID: fmt.Sprintf("%s-c%02d", acc.ID, c), AccountantID: acc.ID,
				LinkedOn: start - referral.Date(rng.IntN(400)),
			}
			clients = append(clients, cl)
			for p := range 1 + rng.IntN(10) {
				paid := start + referral.Date(rng.IntN(270))
				y, m, d := paid.Civil()
				at := time.Date(y, m, d, rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
				units := 100 + rng.Int64N(50_000_000)
				if huge {
					units = math.MaxInt64/8 + rng.Int64N(1<<40)
				}
				pay := referral.Payment{
					ID: fmt.Sprintf("%s-p%d", cl.ID, p), ClientID: cl.ID, PaidAt: at,
					PeriodStart: paid, PeriodEnd: paid + 30, Amount: decimal.New(units, -2),
					Currency: r.Countries[acc.Country].Currency,
				}
				switch rng.IntN(12) {
				case 0:
					pay.RefundedAt = at.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
				case 1:
					pay.Promotion = "promo"
				case 2:
					pay.Currency = currencies[rng.IntN(4)]
				}
				pays = append(pays, pay)
			}
		}
	}
	ds, err := referral.New(accs, clients, pays, r)
	if err != nil {
		t.Fatalf("referral.New: %v", err)
	}
	return ds
}

// TestSettleMatchesDecimal checks the exported Settle on random amounts,
// some past the int64 limit, against the decimal computation.
func TestSettleMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 9))
	for iter := range 3000 {
		rate := decimal.RequireFromString([]string{"0.1", "0.15", "0.2", "0.25", "0.125"}[rng.IntN(5)])
		mode := Rounding(rng.IntN(2))
		decs := make([]decimal.Decimal, rng.IntN(70))
		for i := range decs {
			decs[i] = decimal.New(int64(randomUnits(rng, len(decs))), -2)
		}
		base, comm, shares := Settle(rate, decs, 2, mode)
		wantBase := decimal.Sum(decimal.Zero, decs...)
		wantComm := round(rate.Mul(wantBase), 2, mode)
		wantShares := Allocate(rate, wantComm, decs, 2)
		if !base.Equal(wantBase) || !comm.Equal(wantComm) {
			t.Fatalf("case %d: Settle = %s, %s, want %s, %s", iter, base, comm, wantBase, wantComm)
		}
		for i := range shares {
			if !shares[i].Equal(wantShares[i]) {
				t.Fatalf("case %d: share %d = %s, want %s", iter, i, shares[i], wantShares[i])
			}
		}
	}
}

// TestSettleUnitsAllocations wants no allocation for a month of 20
// payments.
func TestSettleUnitsAllocations(t *testing.T) {
	r, _ := NewUnitRate(decimal.RequireFromString("0.15"))
	amounts := make([]int64, 20)
	for i := range amounts {
		amounts[i] = 6990000 + int64(i)*1234567
	}
	shares := make([]int64, 20)
	if n := testing.AllocsPerRun(100, func() { SettleUnits(r, amounts, shares, HalfUp) }); n != 0 {
		t.Errorf("SettleUnits allocates %v times per run, want 0", n)
	}
}
