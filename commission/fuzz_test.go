package commission_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// FuzzStatements runs the statements pipeline end to end on small data
// folders: ReadCSV, then Compute over the generator's months, then
// WriteCSV. Bad input must come back as an error of the reader; good input
// must never make Compute fail or panic, and every statement must keep its
// arithmetic (checkAmounts: shares add up to the commission, net =
// commission + adjustments, the commission within [0, base x highest
// rate]). The seeds are generated datasets (property_test.go) and a
// hand-made folder.
func FuzzStatements(f *testing.F) {
	for seed := uint64(1); seed <= 6; seed++ {
		accs, clients, pays := genCSV(genSmall(seed), nil)
		f.Add(accs, clients, pays)
	}
	f.Add(`accountant_id,country,registered,activated_on
a-1,PA,true,2025-01-01
a-2,MX,true,
`, `client_id,accountant_id,linked_on,unlinked_on
c-1,a-1,2025-01-01,
c-2,a-1,2025-01-01,
c-3,a-1,2025-01-01,
c-4,a-1,2025-01-01,
c-5,a-1,2025-12-31,2025-12-31
c-6,a-2,2025-01-01,
`, `payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at
p-1,c-1,2025-12-31T23:59:59.999-05:00,2025-12-01,2026-02-28,0.01,USD,,
p-2,c-2,2026-01-01T04:59:59Z,2025-12-01,2026-02-28,0.01,USD,,2026-01-01T05:00:00Z
p-10,c-3,2025-12-15T12:00:00+14:00,2025-12-01,2026-02-28,0.01,USD,ANUAL,
p-9,c-4,2025-12-15T12:00:00-12:00,2025-12-01,2026-02-28,0.03,USD,,2026-02-01T05:00:00Z
p-3,c-5,2025-12-15T12:00:00Z,2025-12-01,2026-02-28,1,CLP,,
p-4,c-6,2025-12-15T12:00:00Z,2025-12-01,2026-02-28,0.001,KWD,,
`)
	r := genRules(f)
	f.Fuzz(func(t *testing.T, accs, clients, pays string) {
		// A hang is a failure too, but the fuzzer has no time limit per
		// input: crash the worker, which makes it keep the input.
		watchdog := time.AfterFunc(fuzzHang, func() {
			panic(fmt.Sprintf("one input ran for %v:\n%q\n%q\n%q", fuzzHang, accs, clients, pays))
		})
		defer watchdog.Stop()

		ds, err := referral.ReadCSV(strings.NewReader(accs), strings.NewReader(clients), strings.NewReader(pays), r)
		if err != nil {
			return // FuzzReadCSV checks the refusals themselves
		}
		sts, err := commission.Compute(r, ds, genFrom, genTo)
		if err != nil {
			t.Fatalf("Compute of data ReadCSV accepted: %v", err)
		}
		for i := range sts {
			checkAmounts(t, r, &sts[i])
		}
		var s, l bytes.Buffer
		if err := commission.WriteCSV(&s, &l, sts); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
	})
}

// FuzzGeneratedStatements is FuzzStatements on data that is always valid:
// the fuzzer's bytes are the generator's random choices (how many
// accountants and clients, which dates, amounts, currencies, refunds and
// offsets), so its mutations explore datasets rather than broken CSV. The
// data must read back from its CSV, compute without an error, keep
// checkAmounts on every statement, and give the same statements in
// parallel.
func FuzzGeneratedStatements(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"))
	for seed := uint64(1); seed <= 4; seed++ {
		b := make([]byte, 256)
		rand.New(rand.NewPCG(seed, 0)).Shuffle(len(b), func(i, j int) { b[i] = byte(i * 7); b[j] = byte(j) })
		f.Add(b)
	}
	r := genRules(f)
	f.Fuzz(func(t *testing.T, choices []byte) {
		watchdog := time.AfterFunc(fuzzHang, func() {
			panic(fmt.Sprintf("one input ran for %v: %q", fuzzHang, choices))
		})
		defer watchdog.Stop()

		in := genWith(rand.New(&byteSource{b: choices}), 40)
		accs, clients, pays := genCSV(in, nil)
		ds := readGenCSV(t, r, accs, clients, pays)
		sts := computeGen(t, r, ds, genFrom, genTo)
		for i := range sts {
			checkAmounts(t, r, &sts[i])
		}
		par, err := commission.ComputeParallel(r, ds, genFrom, genTo, 2)
		if err != nil {
			t.Fatalf("ComputeParallel: %v", err)
		}
		if got, want := flat(t, par), flat(t, sts); got != want {
			t.Fatalf("ComputeParallel differs from Compute:\n%s", diffLines(want, got))
		}
	})
}

// byteSource is a rand.Source that hands out the fuzzer's bytes, eight at
// a time, and then a fixed stream (never all zeros, on which rand's
// rejection loops would never end).
type byteSource struct {
	b    []byte
	tail rand.PCG
}

func (s *byteSource) Uint64() uint64 {
	if len(s.b) == 0 {
		return s.tail.Uint64()
	}
	var x uint64
	for i := 0; i < 8 && len(s.b) > 0; i++ {
		x = x<<8 | uint64(s.b[0])
		s.b = s.b[1:]
	}
	return x
}

// fuzzHang is how long one input of FuzzStatements may run.
const fuzzHang = 20 * time.Second

// genSmall is the dataset of seed cut down to a few rows, so that the
// fuzzer's mutations land on rows that matter: every accountant, the first
// clients and the first payments of those.
func genSmall(seed uint64) genInput {
	in := genData(seed)
	if len(in.clients) > 8 {
		in.clients = in.clients[:8]
	}
	kept := map[string]bool{}
	for _, c := range in.clients {
		kept[c.ID] = true
	}
	var pays []referral.Payment
	for _, p := range in.pays {
		if kept[p.ClientID] && len(pays) < 20 {
			pays = append(pays, p)
		}
	}
	in.pays = pays
	return in
}
