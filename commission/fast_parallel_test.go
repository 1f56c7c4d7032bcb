package commission

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/caba1337/referralrules/referral"
)

// TestComputeParallelMatchesCompute wants the same bytes from Compute and
// from ComputeParallel with 1 to 5 workers, on the demo data and on random
// datasets, and ComputeEach with a filter to give the filtered statements.
func TestComputeParallelMatchesCompute(t *testing.T) {
	r := unitsTestRules(t, HalfUp)
	demo, err := referral.ReadDir("../examples/data/demo", r)
	if err != nil {
		t.Fatalf("ReadDir(demo): %v", err)
	}
	sets := map[string]*referral.Dataset{"demo": demo}
	for seed := range uint64(3) {
		sets[fmt.Sprintf("seed %d", seed)] = randomDataset(t, r, seed)
	}
	from, _ := referral.ParseMonth("2026-01")
	to, _ := referral.ParseMonth("2026-11")
	for name, ds := range sets {
		want, err := Compute(r, ds, from, to)
		if err != nil {
			t.Fatalf("%s: Compute: %v", name, err)
		}
		for workers := 1; workers <= 5; workers++ {
			got, err := ComputeParallel(r, ds, from, to, workers)
			if err != nil {
				t.Fatalf("%s: ComputeParallel(%d): %v", name, workers, err)
			}
			if !bytes.Equal(csvOf(t, got), csvOf(t, want)) {
				t.Errorf("%s: ComputeParallel with %d workers differs from Compute", name, workers)
			}
		}
		odd := func(a referral.Accountant) bool { return len(a.ID)%2 == 1 || a.ID[len(a.ID)-1]%2 == 1 }
		got, err := ComputeEach(r, ds, from, to, 2, odd)
		if err != nil {
			t.Fatalf("%s: ComputeEach: %v", name, err)
		}
		var filtered []Statement
		for _, st := range want {
			if acc, _ := ds.Accountant(st.AccountantID); odd(acc) {
				filtered = append(filtered, st)
			}
		}
		if !bytes.Equal(csvOf(t, got), csvOf(t, filtered)) {
			t.Errorf("%s: ComputeEach with a filter differs from the filtered Compute", name)
		}
	}
}

func csvOf(t *testing.T, sts []Statement) []byte {
	t.Helper()
	var s, l bytes.Buffer
	if err := WriteCSV(&s, &l, sts); err != nil {
		t.Fatal(err)
	}
	return append(s.Bytes(), l.Bytes()...)
}
