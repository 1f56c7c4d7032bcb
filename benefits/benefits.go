// Package benefits holds the non-monetary benefits of the referral program:
// the catalogue of every benefit, with its text in Spanish and English, and
// which benefits each level gives.
//
// A Catalog is built once, with New, from the benefits and the ids each
// level lists; it is immutable and safe for concurrent use. Everything it
// returns is a copy.
//
// The package also answers activation requests (SPEC section 4): Evaluate
// decides, from Rules and the referral data, whether an accountant is
// Approved at a level (with its benefits and Terms), short of referrals,
// outside the program's countries or not registered; Catalog.Select checks
// the benefits an approved accountant picks and yields its Activation; and
// Emails, parsed and checked from text/template files, write the email of
// every answer and activation in Spanish and English, with amounts and
// dates the way each country and language write them (Locale,
// FormatDate).
package benefits

import (
	"errors"
	"fmt"
	"slices"
)

// Lang is a language a benefit's text is written in.
type Lang string

// The languages of the program: Spanish is its own language, English its
// second one. Every benefit has a text in both.
const (
	Spanish Lang = "es"
	English Lang = "en"
)

// Langs returns the languages every benefit must have a text in, Spanish
// first.
func Langs() []Lang { return []Lang{Spanish, English} }

// ParseLang reads a language code, "es" or "en".
func ParseLang(s string) (Lang, error) {
	switch l := Lang(s); l {
	case Spanish, English:
		return l, nil
	}
	return "", fmt.Errorf("unknown language %q (want es or en): %w", s, ErrLang)
}

// Benefit is one benefit of the program, such as the accountant workspace.
type Benefit struct {
	// ID names the benefit in rules.yaml and in a selection, such as
	// "workspace".
	ID string
	// Category groups benefits for display, such as "support" or "network".
	Category string
	// Spanish and English are the benefit's texts.
	Spanish string
	English string
}

// Text returns b's text in lang, or "" for a language b has no text in.
func (b Benefit) Text(lang Lang) string {
	switch lang {
	case Spanish:
		return b.Spanish
	case English:
		return b.English
	}
	return ""
}

// Sentinel errors of New and ParseLang, wrapped with the benefit or level
// they concern.
var (
	ErrID        = errors.New("benefit id is empty or already used")
	ErrText      = errors.New("benefit text is missing")
	ErrUnknown   = errors.New("unknown benefit")
	ErrDuplicate = errors.New("benefit listed twice in a level")
	ErrLang      = errors.New("unknown language")
)

// Catalog is the program's benefit catalogue and the benefits of each
// level. The zero Catalog has no benefits and no levels.
type Catalog struct {
	list   []Benefit
	levels map[int][]int // level number -> indexes into list, in listed order
}

// New checks the benefits and the ids each level lists, and returns them
// as a Catalog. Every benefit needs a unique, non-empty ID and a text in
// every language of Langs; a level may list only known ids, each once.
// Benefits keep the order given; so do the ids of each level.
func New(list []Benefit, levels map[int][]string) (Catalog, error) {
	index := make(map[string]int, len(list))
	for i, b := range list {
		if err := check(b, index); err != nil {
			return Catalog{}, err
		}
		index[b.ID] = i
	}
	c := Catalog{list: slices.Clone(list), levels: make(map[int][]int, len(levels))}
	for n, ids := range levels {
		idx, err := resolve(n, ids, index)
		if err != nil {
			return Catalog{}, err
		}
		c.levels[n] = idx
	}
	return c, nil
}

// check reports what is wrong with b, given the ids seen before it.
func check(b Benefit, seen map[string]int) error {
	if _, dup := seen[b.ID]; dup || b.ID == "" {
		return fmt.Errorf("benefit %q: %w", b.ID, ErrID)
	}
	for _, l := range Langs() {
		if b.Text(l) == "" {
			return fmt.Errorf("benefit %q has no %s text: %w", b.ID, l, ErrText)
		}
	}
	return nil
}

// resolve turns the ids of level n into indexes of the catalogue.
func resolve(n int, ids []string, index map[string]int) ([]int, error) {
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		i, ok := index[id]
		switch {
		case !ok:
			return nil, fmt.Errorf("level %d: %q: %w", n, id, ErrUnknown)
		case slices.Contains(out, i):
			return nil, fmt.Errorf("level %d: %q: %w", n, id, ErrDuplicate)
		}
		out = append(out, i)
	}
	return out, nil
}

// Len returns the number of benefits in the catalogue.
func (c Catalog) Len() int { return len(c.list) }

// All returns every benefit of the catalogue, in catalogue order.
func (c Catalog) All() []Benefit { return slices.Clone(c.list) }

// Get returns the benefit with the given id.
func (c Catalog) Get(id string) (Benefit, bool) {
	for _, b := range c.list {
		if b.ID == id {
			return b, true
		}
	}
	return Benefit{}, false
}

// ForLevel returns the benefits level n gives, in the order the level lists
// them; none for a level without benefits or for level 0 (no level).
func (c Catalog) ForLevel(n int) []Benefit {
	idx := c.levels[n]
	out := make([]Benefit, len(idx))
	for i, j := range idx {
		out[i] = c.list[j]
	}
	return out
}

// InLevel reports whether level n gives the benefit with the given id.
func (c Catalog) InLevel(n int, id string) bool {
	for _, j := range c.levels[n] {
		if c.list[j].ID == id {
			return true
		}
	}
	return false
}

// Text returns the text in lang of the benefit with the given id, and
// false for an unknown id or language.
func (c Catalog) Text(id string, lang Lang) (string, bool) {
	b, ok := c.Get(id)
	if !ok {
		return "", false
	}
	t := b.Text(lang)
	return t, t != ""
}
