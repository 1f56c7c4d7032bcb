// Package referralrules loads the rules of the accountant referral
// benefits program and hands them to the packages that apply them.
//
// The rules live in a YAML file, rules.yaml, that product teams edit: the
// currencies with their minor units, the countries where the program runs
// with their currency and time zone, the levels (bounds of active paid
// referrals, commission rate, benefits), the benefit catalogue in Spanish
// and English, and the settings of the program's fine points. The module
// embeds the default program's file; Default returns it, and Load and Parse
// read an edited one.
//
// Loading is strict. Unknown or duplicate fields, values of the wrong type,
// missing fields, levels with gaps or overlaps, unknown currencies, time
// zones or benefits and the like are all reported at once, each as a
// Problem with its file, line and column, inside a *LoadError:
//
//	p, err := referralrules.Load("rules.yaml")
//	var le *referralrules.LoadError
//	if errors.As(err, &le) {
//		for _, pr := range le.Problems {
//			fmt.Println(pr) // rules.yaml:42:11: levels[2].rate: ...
//		}
//	}
//
// Rates reach decimal.Decimal from the file's text, never through a
// float: "10%" and 0.10 both load as exactly 0.1. Anchors and aliases are
// refused, and so is a file larger than MaxFileSize, so a hostile file
// costs little time and memory.
//
// Programs change over time. A rules file may hold several versions of the
// program, each a whole program with the first month it is in force:
//
//	versions:
//	  - version: "2026.1"
//	    effective_from: 2026-01
//	    currencies: ...          # and countries, levels, benefits, settings
//	  - version: "2026.2"
//	    effective_from: 2026-06
//	    currencies: ...
//
// Versions are listed oldest first, each from a month of its own. A file of
// one version, written without versions as before, may carry an
// effective_from or not; without one it is in force for every month.
// Versions lists them and At finds the one in force in a month; Statements
// computes each month under its version and stamps every statement with
// the version's id and checksum. Diff compares two rule files over a data
// set: who wins and who loses, and what changed in the rules, in words.
//
// A Program is immutable and safe for concurrent use. Its Levels feed
// package tier's lookups, its Benefits package benefits' catalogue, its
// MinorUnits package referral's amount checks, and its Rules package
// commission's statements.
package referralrules
