package referralrules

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/caba1337/referralrules/commission"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// The limits of the settings, inclusive.
const (
	maxGraceDays   = 365
	maxWindow      = 120
	maxPayoutDelay = 12
)

// PayoutServiceCredit is the only payout kind: credit redeemable for the
// vendor's own services, in the statement's currency (D11).
const PayoutServiceCredit = "service_credit"

// Patterns of values; rules.schema.json holds the same ones.
var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	benefitID   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	percent     = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?%$`)
)

// rules decodes the block of one version of the program into p, and
// returns the node of its effective_from, nil when absent. A version in a
// versions list must have one (needEffective); the single version of a
// file may.
func (d *decoder) rules(top *yaml.Node, p *Program, needEffective bool) *yaml.Node {
	sections := []string{"version", "currencies", "countries", "levels", "benefits", "settings"}
	optional := []string{"effective_from"}
	if needEffective {
		sections, optional = append(sections, "effective_from"), nil
	}
	f := d.fields(top, "", sections, optional)
	if f == nil {
		return nil
	}
	if n := f["version"]; n != nil {
		p.version, _ = d.text(n, "version")
	}
	if n := f["effective_from"]; n != nil {
		p.effective, _ = d.month(n, "effective_from")
	}
	listed := map[string]bool{}
	if n := f["currencies"]; n != nil {
		p.currencies, listed = d.currencies(n)
	}
	if n := f["countries"]; n != nil {
		p.countries, p.names = d.countries(n, listed)
	}
	if n := f["settings"]; n != nil {
		p.settings = d.settings(n)
	}
	d.levelsAndBenefits(f["levels"], f["benefits"], p)
	return f["effective_from"]
}

// currencies decodes the currencies block: the minor units of each valid
// currency, and every code listed, valid or not.
func (d *decoder) currencies(n *yaml.Node) (units map[string]int, listed map[string]bool) {
	units, listed = map[string]int{}, map[string]bool{}
	if !d.isKind(n, "currencies", yaml.MappingNode) {
		return units, listed
	}
	for _, e := range d.entries(n, "currencies") {
		code, path := e.key.Value, join("currencies", e.key.Value)
		listed[code] = true
		okCode := isCurrency(code)
		if !okCode {
			d.report(e.key, path, ErrCurrency,
				"%q is not an ISO 4217 currency code; use a code such as COP or USD", code)
		}
		f := d.fields(e.value, path, []string{"minor_units"}, nil)
		if f == nil || f["minor_units"] == nil {
			continue
		}
		mu, ok := d.minorUnits(f["minor_units"], join(path, "minor_units"))
		if ok && okCode {
			units[code] = mu
		}
	}
	return units, listed
}

// minorUnits decodes a number of decimals of a currency, 0 to 4.
func (d *decoder) minorUnits(n *yaml.Node, path string) (int, bool) {
	mu, ok := d.whole(n, path)
	if ok && (mu < 0 || mu > 4) {
		d.report(n, path, ErrMinorUnits, "minor units must be 0 to 4, not %d", mu)
		return 0, false
	}
	return mu, ok
}

// countries decodes the countries block, given the currency codes listed.
func (d *decoder) countries(
	n *yaml.Node, listed map[string]bool,
) (map[string]commission.Country, map[string]string) {
	countries, names := map[string]commission.Country{}, map[string]string{}
	if !d.isKind(n, "countries", yaml.MappingNode) {
		return countries, names
	}
	for _, e := range d.entries(n, "countries") {
		code, path := e.key.Value, join("countries", e.key.Value)
		ok := countryCode.MatchString(code)
		if !ok {
			d.report(e.key, path, ErrInvalid,
				"%q is not a country code: write two upper-case letters (ISO 3166), such as CO", code)
		}
		c, name, okFields := d.country(e.value, path, listed)
		if ok && okFields {
			c.Code = code
			countries[code], names[code] = c, name
		}
	}
	return countries, names
}

// country decodes the fields of one country.
func (d *decoder) country(
	n *yaml.Node, path string, listed map[string]bool,
) (commission.Country, string, bool) {
	f := d.fields(n, path, []string{"name", "currency", "time_zone"}, nil)
	if f == nil {
		return commission.Country{}, "", false
	}
	var c commission.Country
	name, okName := d.fieldText(f, "name", path)
	cur, okCur := d.fieldText(f, "currency", path)
	okCur = okCur && d.countryCurrency(f["currency"], join(path, "currency"), cur, listed)
	zone, okZone := d.fieldText(f, "time_zone", path)
	if okZone {
		c.Location, okZone = d.zone(f["time_zone"], join(path, "time_zone"), zone)
	}
	c.Currency = cur
	return c, name, okName && okCur && okZone
}

// countryCurrency checks that a country's currency is a currency listed
// under currencies.
func (d *decoder) countryCurrency(n *yaml.Node, path, code string, listed map[string]bool) bool {
	switch {
	case !isCurrency(code):
		d.report(n, path, ErrCurrency,
			"%q is not an ISO 4217 currency code; use a code such as COP or USD", code)
		return false
	case !listed[code]:
		d.report(n, path, ErrCountryCurrency,
			"currency %s is not under currencies; add it there with its minor_units", code)
		return false
	}
	return true
}

// zone loads the time zone named name.
func (d *decoder) zone(n *yaml.Node, path, name string) (*time.Location, bool) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		d.report(n, path, ErrTimeZone,
			"%q is not a time zone; use an IANA zone name such as America/Bogota", name)
		return nil, false
	}
	return loc, true
}

// fieldText decodes the text field name of f, if present.
func (d *decoder) fieldText(f map[string]*yaml.Node, name, path string) (string, bool) {
	n := f[name]
	if n == nil {
		return "", false
	}
	return d.text(n, join(path, name))
}

// rate decodes a commission rate, written "10%" or 0.10, into an exact
// fraction, without going through a float.
func (d *decoder) rate(n *yaml.Node, path string) (decimal.Decimal, bool) {
	v, tag := n.Value, n.ShortTag()
	var r decimal.Decimal
	var err error
	switch {
	case n.Kind != yaml.ScalarNode:
		err = fmt.Errorf("not a scalar")
	case tag == "!!str" && percent.MatchString(v):
		r, err = decimal.NewFromString(strings.TrimSuffix(v, "%"))
		r = r.Shift(-2)
	case tag == "!!int" || tag == "!!float":
		r, err = decimal.NewFromString(v)
	default:
		err = fmt.Errorf("not a number")
	}
	if err != nil {
		d.report(n, path, ErrType,
			`must be a percentage in quotes such as "10%%" or a fraction such as 0.10, not %s`, describe(n))
		return decimal.Decimal{}, false
	}
	return r, true
}
