// Package bench holds the side-by-side benchmarks of the referral program
// library (see README.md). It has no API; everything is in its tests, its
// generator (package gen) and the generator command (cmd/gen).
package bench
