package referralrules_test

import (
	"errors"
	"fmt"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/referral"
)

// A file with two versions: level 2 pays 15% until May 2026 and 16% from
// June. At finds the version in force in a month; a month before the first
// version is an error.
func ExampleProgram_At() {
	p, err := referralrules.Load("testdata/rules/good/versions.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []referral.Month{
		referral.MonthOf(2026, 5), referral.MonthOf(2026, 6), referral.MonthOf(2025, 12),
	} {
		v, err := p.At(m)
		if errors.Is(err, referralrules.ErrBeforeFirstVersion) {
			fmt.Println(err)
			continue
		}
		level2, _ := v.Levels().Level(2)
		fmt.Printf("%s: version %s, level 2 at %s%%\n", m, v.Version(), level2.Rate.Shift(2))
	}
	// Output:
	// 2026-05: version 2026.1, level 2 at 15%
	// 2026-06: version 2026.2, level 2 at 16%
	// month before the first version of the rules: 2025-12 is before 2026-01, when version "2026.1" comes into force
}

// Describe says what changed between two versions, in words a product
// manager reads.
func ExampleDescribe() {
	p, err := referralrules.Load("testdata/rules/good/versions.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	vs := p.Versions()
	for _, line := range referralrules.Describe(vs[0], vs[1]) {
		fmt.Println(line)
	}
	// Output:
	// Version: 2026.1 → 2026.2
	// Level 2 rate: 15% → 16%
}
