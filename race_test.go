package referralrules_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// The reload pattern a service uses: requests read the current program
// from an atomic.Pointer once and answer with it, while a reloader parses
// the rules file again and swaps the new program in. Run under -race, this
// test checks that a Program is safe to share while another one replaces
// it, and that every answer a reader gets is that of one version only:
// the statements, the counts and the level lookups it computed with one
// Program match, byte for byte, what that Program's version answers on its
// own.

// raceAnswers is everything one reader computes with one program.
type raceAnswers struct {
	statements string // flat CSV of one month's statements
	counts     string // active paid referrals of a few accountants on a day
	levels     string // level number and rate of each count from 0 to 30
}

func answersOf(tb testing.TB, p *referralrules.Program, ds *referral.Dataset) raceAnswers {
	tb.Helper()
	m, err := referral.ParseMonth("2026-03")
	if err != nil {
		tb.Fatal(err)
	}
	sts, err := p.Statements(ds, m, m)
	if err != nil {
		tb.Fatalf("Statements: %v", err)
	}
	var sb, lb bytes.Buffer
	if err := commission.WriteCSV(&sb, &lb, sts); err != nil {
		tb.Fatalf("WriteCSV: %v", err)
	}

	var counts strings.Builder
	for i, a := range ds.Accountants() {
		if _, ok := p.Country(a.Country); !ok || i%7 != 0 {
			continue
		}
		c, err := p.CountActive(ds, a.ID, m.Last())
		if err != nil {
			tb.Fatalf("CountActive(%s): %v", a.ID, err)
		}
		fmt.Fprintf(&counts, "%s=%d ", a.ID, c.Active)
	}

	var levels strings.Builder
	for n := 0; n <= 30; n++ {
		l, _ := p.Levels().Lookup(n)
		fmt.Fprintf(&levels, "%d:%d@%s ", n, l.Number, l.Rate)
	}
	return raceAnswers{sb.String() + lb.String(), counts.String(), levels.String()}
}

func TestReloadWhileEvaluating(t *testing.T) {
	text := string(mustRead(t, "rules.yaml"))
	// The second version moves level 1 down to 3 referrals and raises its
	// rate, so that both the counts' levels and the amounts differ.
	other := text
	for _, edit := range [][2]string{{`version: "2026.1"`, `version: "race-2"`}, {"min: 5\n", "min: 3\n"},
		{`rate: "10%"`, `rate: "12%"`}} {
		if !strings.Contains(other, edit[0]) {
			t.Fatalf("rules.yaml has no %q to edit", edit[0])
		}
		other = strings.Replace(other, edit[0], edit[1], 1)
	}
	parse := func(src string) *referralrules.Program {
		p, err := referralrules.Parse(strings.NewReader(src), "rules.yaml")
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		return p
	}
	sources := []string{text, other}

	ds, err := referralrules.Default().ReadData(demoDir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]raceAnswers{}
	for _, src := range sources {
		p := parse(src)
		want[p.Version()] = answersOf(t, p, ds)
	}
	if len(want) != 2 || want["2026.1"] == want["race-2"] {
		t.Fatal("the two versions must have different versions and answers")
	}

	var cur atomic.Pointer[referralrules.Program]
	cur.Store(parse(text))
	readers, rounds := 6, 4
	if testing.Short() {
		readers, rounds = 3, 2
	}

	var wg sync.WaitGroup
	seen := make([]map[string]int, readers)
	for r := range readers {
		seen[r] = map[string]int{}
		wg.Go(func() {
			for range rounds {
				p := cur.Load() // once per answer, as a request handler does
				got := answersOf(t, p, ds)
				if got != want[p.Version()] {
					t.Errorf("reader %d: answers under version %s differ from that version's own", r, p.Version())
				}
				seen[r][p.Version()]++
			}
		})
	}
	readersDone := make(chan struct{})
	go func() { wg.Wait(); close(readersDone) }()

	// The reloader parses the rules again and again, alternating versions,
	// until the readers are done.
	swaps := 0
	for i := 1; ; i++ {
		select {
		case <-readersDone:
		default:
			cur.Store(parse(sources[i%2]))
			swaps++
			continue
		}
		break
	}
	t.Logf("%d reloads while %d readers answered %d times each: %v", swaps, readers, rounds, seen)
}
