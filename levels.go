package referralrules

import (
	"strings"

	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// levelEntry is one decoded level with the nodes its checks point at.
type levelEntry struct {
	tier.Level
	path     string
	node     *yaml.Node // the level's block
	fields   map[string]*yaml.Node
	benefits []*yaml.Node // the items of its benefits list
	ok       bool         // every field decoded
}

// levelsAndBenefits decodes the levels and the benefit catalogue, which
// refer to each other, and checks them together. It builds them into p
// only when the whole file is free of problems.
func (d *decoder) levelsAndBenefits(levelsNode, benefitsNode *yaml.Node, p *Program) {
	var entries []levelEntry
	if levelsNode != nil {
		entries = d.levels(levelsNode)
	}
	if benefitsNode == nil {
		return
	}
	list, known := d.catalogue(benefitsNode)
	byLevel := d.levelRefs(entries, known)
	if levelsNode == nil || len(d.problems) > 0 {
		return
	}
	p.levels = d.table(levelsNode, entries)
	c, err := benefits.New(list, byLevel)
	if err != nil {
		d.report(benefitsNode, "benefits", err, "%v", err)
	}
	p.benefits = c
}

// levels decodes the levels list and checks the levels one by one and
// against the level before (D1).
func (d *decoder) levels(n *yaml.Node) []levelEntry {
	items := d.items(n, "levels")
	if len(items) == 0 {
		if n.Kind == yaml.SequenceNode {
			d.report(n, "levels", tier.ErrNoLevels, "the list is empty; write at least one level")
		}
		return nil
	}
	entries := make([]levelEntry, len(items))
	for i, item := range items {
		entries[i] = d.level(item, index("levels", i))
	}
	for i := range entries {
		d.checkLevel(entries, i)
	}
	return entries
}

// level decodes the fields of one level.
func (d *decoder) level(n *yaml.Node, path string) levelEntry {
	e := levelEntry{path: path, node: n}
	f := d.fields(n, path, []string{"number", "min", "rate", "benefits"}, []string{"max"})
	e.fields = f
	if f == nil {
		return e
	}
	e.ok = f["number"] != nil && f["min"] != nil && f["rate"] != nil && f["benefits"] != nil
	e.Number = d.wholeField(f, "number", path, &e.ok)
	e.Min = d.wholeField(f, "min", path, &e.ok)
	e.Max = d.wholeField(f, "max", path, &e.ok)
	if n := f["rate"]; n != nil {
		var ok bool
		e.Rate, ok = d.rate(n, join(path, "rate"))
		e.ok = e.ok && ok
	}
	if n := f["benefits"]; n != nil {
		e.benefits = d.levelBenefits(n, join(path, "benefits"))
	}
	return e
}

// wholeField decodes the whole-number field name of f, if present, and
// clears ok when it is malformed.
func (d *decoder) wholeField(f map[string]*yaml.Node, name, path string, ok *bool) int {
	n := f[name]
	if n == nil {
		return 0
	}
	v, good := d.whole(n, join(path, name))
	*ok = *ok && good
	return v
}

// levelBenefits decodes the list of benefit ids of a level.
func (d *decoder) levelBenefits(n *yaml.Node, path string) []*yaml.Node {
	items := d.items(n, path)
	if len(items) == 0 && n.Kind == yaml.SequenceNode {
		d.report(n, path, ErrMissing, "the list is empty; a level gives at least one benefit")
	}
	for i, item := range items {
		d.text(item, index(path, i))
	}
	return items
}

// checkLevel checks level i alone and against level i-1, pointing at the
// field at fault.
func (d *decoder) checkLevel(entries []levelEntry, i int) {
	e := entries[i]
	if !e.ok {
		return
	}
	if e.Number != i+1 {
		d.report(e.fields["number"], join(e.path, "number"), tier.ErrLevelNumber,
			"level %d is listed in place %d; number the levels 1, 2, 3, ... in order", e.Number, i+1)
	}
	d.checkBounds(e, i == len(entries)-1)
	d.checkRate(e)
	if i > 0 && entries[i-1].ok {
		d.checkAfter(entries[i-1], e)
	}
}

// checkBounds checks the min and max of level e; only the last level, and
// it always, has no max.
func (d *decoder) checkBounds(e levelEntry, last bool) {
	maxN := e.fields["max"]
	switch {
	case e.Min < 1:
		d.report(e.fields["min"], join(e.path, "min"), tier.ErrBounds,
			"min must be 1 or more, not %d", e.Min)
	case e.Min > tier.MaxCount:
		d.report(e.fields["min"], join(e.path, "min"), tier.ErrBounds,
			"min %d is above %d, the highest bound a level may have", e.Min, tier.MaxCount)
	case maxN != nil && e.Max > tier.MaxCount:
		d.report(maxN, join(e.path, "max"), tier.ErrBounds,
			"max %d is above %d, the highest bound a level may have", e.Max, tier.MaxCount)
	case maxN != nil && last:
		d.report(maxN, join(e.path, "max"), tier.ErrBounds,
			"the last level has no upper bound: remove max (level %d is then %d or more)",
			e.Number, e.Min)
	case maxN != nil && e.Max < e.Min:
		d.report(maxN, join(e.path, "max"), tier.ErrBounds, "max %d is below min %d", e.Max, e.Min)
	case maxN == nil && !last:
		d.report(e.node, e.path, tier.ErrBounds,
			"level %d has no max; only the last level may leave max out", e.Number)
	}
}

// checkRate checks that the rate of level e lies in (0, 100%].
func (d *decoder) checkRate(e levelEntry) {
	n := e.fields["rate"]
	written := n.Value
	if !strings.HasSuffix(written, "%") {
		written += " (" + e.Rate.Shift(2).String() + "%)"
	}
	switch {
	case !e.Rate.IsPositive():
		d.report(n, join(e.path, "rate"), tier.ErrRateRange,
			"rate %s is not above 0%%; a rate must be above 0%% and at most 100%%", written)
	case e.Rate.GreaterThan(decimal.NewFromInt(1)):
		d.report(n, join(e.path, "rate"), tier.ErrRateRange,
			"rate %s is above 100%%; a rate must be above 0%% and at most 100%%", written)
	}
}

// rateInRange reports whether r lies in (0, 1].
func rateInRange(r decimal.Decimal) bool {
	return r.IsPositive() && r.LessThanOrEqual(decimal.NewFromInt(1))
}

// checkAfter checks that level e starts right after level prev ends and
// pays a higher rate (D1). A max missing from prev was reported already.
func (d *decoder) checkAfter(prev, e levelEntry) {
	minN, path := e.fields["min"], join(e.path, "min")
	switch {
	case e.Min <= prev.Min:
		d.report(minN, path, tier.ErrOverlap,
			"levels are out of order: level %d starts at %d, not above level %d (min %d)",
			e.Number, e.Min, prev.Number, prev.Min)
	case prev.fields["max"] == nil:
	case e.Min > prev.Max+1:
		d.report(minN, path, tier.ErrGap,
			"level %d starts at %d but level %d ends at %d: counts %d to %d would have no level",
			e.Number, e.Min, prev.Number, prev.Max, prev.Max+1, e.Min-1)
	case e.Min <= prev.Max:
		d.report(minN, path, tier.ErrOverlap,
			"level %d starts at %d but level %d ends at %d: the levels overlap; start at %d",
			e.Number, e.Min, prev.Number, prev.Max, prev.Max+1)
	}
	if rateInRange(e.Rate) && rateInRange(prev.Rate) && !e.Rate.GreaterThan(prev.Rate) {
		d.report(e.fields["rate"], join(e.path, "rate"), tier.ErrRateOrder,
			"rate %s%% of level %d is not above rate %s%% of level %d; rates must rise with the level",
			e.Rate.Shift(2), e.Number, prev.Rate.Shift(2), prev.Number)
	}
}

// table builds the checked levels into a tier.Table; tier.New repeats the
// checks above, so an error here means the two disagree.
func (d *decoder) table(n *yaml.Node, entries []levelEntry) tier.Table {
	levels := make([]tier.Level, len(entries))
	for i, e := range entries {
		levels[i] = e.Level
	}
	t, err := tier.New(levels)
	if err != nil {
		d.report(n, "levels", err, "%v", err)
	}
	return t
}
