package referralrules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	_ "time/tzdata" // time zones work on machines without a zone database

	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
)

// MaxFileSize is the largest rules file Load and Parse read, in bytes. A
// larger one is refused with ErrTooLarge before it is parsed.
const MaxFileSize = 1 << 20

// DefaultName is the file name the embedded default rules report problems
// and summaries under.
const DefaultName = "rules.yaml"

//go:embed rules.yaml
var defaultRules []byte

// Program is a loaded rules file: countries, currencies, levels, benefits
// and settings. A file may hold several versions of the program, each in
// force from its month (see Versions and At); the methods that take no
// month answer with the last version. A Program is immutable and safe for
// concurrent use; every map or slice it returns is a copy. Get one from
// Default, Load or Parse; the zero Program is not usable.
type Program struct {
	version    string
	checksum   string
	effective  referral.Month                // first month in force; 0 when the version has none
	versions   []*Program                    // of a file: its versions, oldest first; nil in a version
	currencies map[string]int                // ISO 4217 code -> minor units
	countries  map[string]commission.Country // by ISO 3166 code
	names      map[string]string             // country code -> name
	levels     tier.Table
	benefits   benefits.Catalog
	settings   Settings
}

// defaultProgram parses the embedded rules once.
var defaultProgram = sync.OnceValue(func() *Program {
	p, err := Parse(bytes.NewReader(defaultRules), DefaultName)
	if err != nil {
		// A test loads the embedded file, so this cannot happen in a
		// released build.
		panic(fmt.Sprintf("referralrules: embedded rules.yaml is invalid: %v", err))
	}
	return p
})

// Default returns the program's default rules, the rules.yaml embedded in
// this module. It parses them on the first call only; every call returns
// the same Program.
func Default() *Program { return defaultProgram() }

// Load reads and checks the rules file at path. When the file is at fault
// the error is a *LoadError listing every problem; otherwise it is the
// error of opening or reading the file.
func Load(path string) (*Program, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads and checks rules from r; name is the file name problems are
// reported under. It reads at most MaxFileSize bytes. When the rules are at
// fault the error is a *LoadError listing every problem in file order.
func Parse(r io.Reader, name string) (*Program, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, &LoadError{Problems: []Problem{{File: name, Err: ErrTooLarge,
			Msg: fmt.Sprintf("the file is larger than %d KiB; rules files are small", MaxFileSize>>10)}}}
	}
	return parse(data, name)
}

// parse checks data and builds its Program.
func parse(data []byte, name string) (*Program, error) {
	d := &decoder{file: name}
	var versions []*Program
	if top := d.document(data); top != nil {
		versions = d.top(top)
	}
	if len(d.problems) > 0 {
		slices.SortStableFunc(d.problems, func(a, b Problem) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Column - b.Column
		})
		return nil, &LoadError{Problems: d.problems}
	}
	p := *versions[len(versions)-1]
	sum := sha256.Sum256(data)
	p.checksum = hex.EncodeToString(sum[:])
	p.versions = versions
	return &p, nil
}

// Version returns the id the rules give themselves, such as "2026.1": the
// version field of a version, and of a file the last version's.
func (p *Program) Version() string { return p.version }

// Checksum returns, in lower-case hex, the SHA-256 of the rules file's
// bytes for a file (from Default, Load or Parse), so that a service can log
// exactly which rules answered; for a version (from Versions or At), the
// checksum of its content (see Versions).
func (p *Program) Checksum() string { return p.checksum }

// Levels returns the program's levels.
func (p *Program) Levels() tier.Table { return p.levels }

// Benefits returns the benefit catalogue and the benefits of each level.
func (p *Program) Benefits() benefits.Catalog { return p.benefits }

// Settings returns the program's settings.
func (p *Program) Settings() Settings { return p.settings }

// Country returns the country with the given ISO 3166 code, if the program
// runs there.
func (p *Program) Country(code string) (commission.Country, bool) {
	c, ok := p.countries[code]
	return c, ok
}

// CountryName returns the name of the country with the given code, such as
// "Colombia" for "CO", if the program runs there.
func (p *Program) CountryName(code string) (string, bool) {
	n, ok := p.names[code]
	return n, ok
}

// Countries returns the countries where the program runs, sorted by code.
func (p *Program) Countries() []commission.Country {
	out := slices.Collect(maps.Values(p.countries))
	slices.SortFunc(out, func(a, b commission.Country) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Currencies returns the currencies the program knows, by ISO 4217 code,
// with the minor units (decimals) each allows.
func (p *Program) Currencies() map[string]int { return maps.Clone(p.currencies) }

// MinorUnits returns the decimals an amount in currency code may have, and
// false for a currency the program does not know. With it, *Program
// satisfies referral.Currencies.
func (p *Program) MinorUnits(code string) (int, bool) {
	mu, ok := p.currencies[code]
	return mu, ok
}

// Rules returns what package commission needs to compute statements with
// this program: of a file with several versions, the last one (use At for
// a month, or Statements, which picks the version of each month). Each
// call returns a fresh copy: changing it does not change p.
func (p *Program) Rules() commission.Rules {
	s := p.settings
	return commission.Rules{
		Levels:               p.levels,
		Countries:            maps.Clone(p.countries),
		Currencies:           maps.Clone(p.currencies),
		GraceDays:            s.GraceDays,
		WindowMonths:         s.WindowMonths,
		PayoutDelayMonths:    s.PayoutDelayMonths,
		Rounding:             s.Rounding,
		ExcludePromotedSales: s.ExcludePromotedSales,
		RequireActivation:    s.RequireActivation,
		Payout:               s.Payout,
	}
}
