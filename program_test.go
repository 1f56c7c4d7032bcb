package referralrules_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
)

// A program tells referral which currencies exist.
var _ referral.Currencies = (*referralrules.Program)(nil)

func TestDefaultLoads(t *testing.T) {
	p := referralrules.Default()
	require.NotNil(t, p)
	assert.Same(t, p, referralrules.Default(), "Default parses once")
	assert.Equal(t, "2026.1", p.Version())

	data, err := os.ReadFile("rules.yaml")
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	assert.Equal(t, hex.EncodeToString(sum[:]), p.Checksum())
}

func TestDefaultCountries(t *testing.T) {
	p := referralrules.Default()
	want := []struct{ code, name, currency, zone string }{
		{"CO", "Colombia", "COP", "America/Bogota"},
		{"CR", "Costa Rica", "CRC", "America/Costa_Rica"},
		{"DO", "Dominican Republic", "DOP", "America/Santo_Domingo"},
		{"PA", "Panama", "USD", "America/Panama"},
	}
	got := p.Countries()
	require.Len(t, got, len(want))
	for i, w := range want {
		assert.Equal(t, w.code, got[i].Code, "Countries()[%d] sorted by code", i)
		c, ok := p.Country(w.code)
		require.True(t, ok, "Country(%q)", w.code)
		assert.Equal(t, w.currency, c.Currency)
		assert.Equal(t, w.zone, c.Location.String())
		name, _ := p.CountryName(w.code)
		assert.Equal(t, w.name, name)
		mu, ok := p.MinorUnits(w.currency)
		assert.True(t, ok)
		assert.Equal(t, 2, mu, "MinorUnits(%q)", w.currency)
	}
	_, ok := p.Country("MX")
	assert.False(t, ok, "the program does not run in MX")
	_, ok = p.MinorUnits("EUR")
	assert.False(t, ok)
}

// D3: 2026-12-01T02:00:00Z is still November for a Colombian accountant.
func TestDefaultZoneDecidesTheMonth(t *testing.T) {
	co, _ := referralrules.Default().Country("CO")
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC).In(co.Location)
	assert.Equal(t, time.November, at.Month())
}

func TestDefaultLevels(t *testing.T) {
	levels := referralrules.Default().Levels().Levels()
	want := []struct {
		number, min, max int
		rate             string
		benefits         int
	}{
		{1, 5, 8, "0.1", 4},
		{2, 9, 12, "0.15", 5},
		{3, 13, 25, "0.2", 5},
		{4, 26, 0, "0.25", 7},
	}
	require.Len(t, levels, len(want))
	cat := referralrules.Default().Benefits()
	for i, w := range want {
		l := levels[i]
		assert.Equal(t, w.number, l.Number)
		assert.Equal(t, w.min, l.Min, "level %d min", w.number)
		assert.Equal(t, w.max, l.Max, "level %d max", w.number)
		assert.Equal(t, w.rate, l.Rate.String(), "level %d rate", w.number)
		assert.Len(t, cat.ForLevel(w.number), w.benefits, "level %d benefits", w.number)
	}
}

// Level 2 is "as level 1, and guidance while enrolling in the network".
func TestDefaultLevelTwoKeepsLevelOne(t *testing.T) {
	cat := referralrules.Default().Benefits()
	for _, b := range cat.ForLevel(1) {
		assert.True(t, cat.InLevel(2, b.ID), "level 2 lacks %s", b.ID)
	}
	assert.True(t, cat.InLevel(2, "network_enrolment"))
	for _, b := range cat.All() {
		assert.NotEmpty(t, b.Text(benefits.Spanish), b.ID)
		assert.NotEmpty(t, b.Text(benefits.English), b.ID)
	}
}

func TestDefaultSettings(t *testing.T) {
	want := referralrules.Settings{
		GraceDays:            0,
		WindowMonths:         12,
		PayoutDelayMonths:    1,
		Rounding:             commission.HalfUp,
		ExcludePromotedSales: true,
		RequireActivation:    true,
		Payout:               referralrules.PayoutServiceCredit,
	}
	assert.Equal(t, want, referralrules.Default().Settings())
}

func TestRulesIsACopy(t *testing.T) {
	p := referralrules.Default()
	r := p.Rules()
	assert.Equal(t, 12, r.WindowMonths)
	assert.Equal(t, "service_credit", r.Payout)
	assert.Equal(t, 4, r.Levels.Len())
	assert.Len(t, r.Countries, 4)
	mu, ok := r.MinorUnits("COP")
	assert.True(t, ok)
	assert.Equal(t, 2, mu)

	delete(r.Countries, "CO")
	r.Currencies["EUR"] = 2
	_, ok = p.Country("CO")
	assert.True(t, ok, "deleting from Rules().Countries changed the program")
	_, ok = p.MinorUnits("EUR")
	assert.False(t, ok, "adding to Rules().Currencies changed the program")
	cs := p.Currencies()
	cs["EUR"] = 2
	_, ok = p.MinorUnits("EUR")
	assert.False(t, ok, "adding to Currencies() changed the program")
}

func TestDefaultConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			p := referralrules.Default()
			l, _ := p.Levels().Lookup(10)
			assert.Equal(t, 2, l.Number)
			_ = p.Rules()
			_ = p.Countries()
		})
	}
	wg.Wait()
}

// minimal returns the valid test file with old replaced by new.
func minimal(t *testing.T, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "rules", "good", "minimal.yaml"))
	require.NoError(t, err)
	s := string(data)
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

// Rates reach decimal.Decimal from the text of the file, never a float.
func TestRatesAreExact(t *testing.T) {
	tests := []struct {
		name    string
		written string
		want    string
	}{
		{"fraction", "0.1", "0.1"},
		{"fraction with trailing zero", "0.10", "0.1"},
		{"percent", `"10%"`, "0.1"},
		{"percent with decimals", `"12.5%"`, "0.125"},
		// float64(0.1) is exactly this number; a float on the way would
		// have turned the one into the other.
		{"the float near 0.1", "0.1000000000000000055511151231257827021181583404541015625",
			"0.1000000000000000055511151231257827021181583404541015625"},
		{"percent many digits", `"10.000000000000000000001%"`, "0.10000000000000000000001"},
		{"exponent", "1e-1", "0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal(t, `rate: "10%"`, "rate: "+tt.written)
			p, err := referralrules.Parse(strings.NewReader(src), "t.yaml")
			require.NoError(t, err)
			l, _ := p.Levels().Level(1)
			assert.Equal(t, tt.want, l.Rate.String())
		})
	}
}

// A rate lies in (0, 100%] and is written as a percentage or a fraction.
func TestRateRange(t *testing.T) {
	tests := []struct {
		name    string
		written string
		err     error // nil: the rate loads
	}{
		{"hundred percent", `"100%"`, nil},
		{"one", "1", nil},
		{"one point zero", "1.0", nil},
		{"just under one", "0.9999", nil},
		{"over hundred percent", `"100.01%"`, tier.ErrRateRange},
		{"over one", "1.0001", tier.ErrRateRange},
		{"ten written as a whole number", "10", tier.ErrRateRange},
		{"zero percent", `"0%"`, tier.ErrRateRange},
		{"negative", "-0.2", tier.ErrRateRange},
		{"infinity", ".inf", referralrules.ErrType},
		{"not a number", "NaN", referralrules.ErrType},
		{"word before percent", `"ten%"`, referralrules.ErrType},
		{"space before percent", `"10 %"`, referralrules.ErrType},
		{"percent alone", `"%"`, referralrules.ErrType},
		{"percent with exponent", `"1e1%"`, referralrules.ErrType},
		{"negative percent", `"-10%"`, referralrules.ErrType},
		{"hex", "0x1", referralrules.ErrType},
		{"list", "[0.2]", referralrules.ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal(t, `rate: "20%"`, "rate: "+tt.written)
			_, err := referralrules.Parse(strings.NewReader(src), "t.yaml")
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			var le *referralrules.LoadError
			require.ErrorAs(t, err, &le)
			require.Len(t, le.Problems, 1, "%v", err)
			assert.ErrorIs(t, le.Problems[0], tt.err)
			assert.Equal(t, "levels[3].rate", le.Problems[0].Field)
			assert.Equal(t, 22, le.Problems[0].Line)
		})
	}
}
