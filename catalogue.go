package referralrules

import (
	"slices"

	"github.com/caba1337/referralrules/benefits"
	"gopkg.in/yaml.v3"
)

// benefitEntry is one decoded benefit with the node of its id.
type benefitEntry struct {
	benefits.Benefit
	id *yaml.Node
}

// catalogue decodes the benefits list. It returns the benefits that decoded
// in full, and the set of every valid id, complete benefit or not, so that
// a bad text does not also make the levels' references to it unknown.
func (d *decoder) catalogue(n *yaml.Node) ([]benefits.Benefit, map[string]bool) {
	items := d.items(n, "benefits")
	if len(items) == 0 && n.Kind == yaml.SequenceNode {
		d.report(n, "benefits", ErrMissing, "the list is empty; write at least one benefit")
	}
	var out []benefits.Benefit
	first := map[string]*yaml.Node{}
	for i, item := range items {
		b, okID, ok := d.benefit(item, index("benefits", i))
		if !okID {
			continue
		}
		if prev, dup := first[b.ID]; dup {
			d.report(b.id, index("benefits", i)+".id", ErrDuplicateKey,
				"benefit id %q is already used on line %d; give each benefit its own id", b.ID, prev.Line)
			continue
		}
		first[b.ID] = b.id
		if ok {
			out = append(out, b.Benefit)
		}
	}
	known := make(map[string]bool, len(first))
	for id := range first {
		known[id] = true
	}
	return out, known
}

// benefit decodes one benefit of the catalogue, and reports whether its id
// and all of it decoded.
func (d *decoder) benefit(n *yaml.Node, path string) (b benefitEntry, okID, ok bool) {
	f := d.fields(n, path, []string{"id", "category", "text"}, nil)
	if f == nil {
		return b, false, false
	}
	id, okID := d.fieldText(f, "id", path)
	if okID && !benefitID.MatchString(id) {
		d.report(f["id"], join(path, "id"), ErrInvalid,
			"benefit id %q must be lower-case letters, digits and _, starting with a letter", id)
		okID = false
	}
	cat, okCat := d.fieldText(f, "category", path)
	okText := f["text"] != nil && d.texts(f["text"], join(path, "text"), &b.Benefit)
	b.ID, b.Category, b.id = id, cat, f["id"]
	return b, okID, okID && okCat && okText
}

// texts decodes the text block of a benefit: one text per language, all
// of them required.
func (d *decoder) texts(n *yaml.Node, path string, b *benefits.Benefit) bool {
	var names []string
	for _, l := range benefits.Langs() {
		names = append(names, string(l))
	}
	f := d.fields(n, path, nil, names)
	if f == nil {
		return false
	}
	ok := true
	for _, l := range benefits.Langs() {
		t, good := d.langText(n, f[string(l)], path, l)
		ok = ok && good
		switch l {
		case benefits.Spanish:
			b.Spanish = t
		case benefits.English:
			b.English = t
		}
	}
	return ok
}

// langText decodes the text of one language, t, in the text block n.
func (d *decoder) langText(n, t *yaml.Node, path string, l benefits.Lang) (string, bool) {
	if t == nil {
		d.report(n, path, ErrBenefitText,
			"the %s text (%s) is missing; every benefit needs both es and en", langName(l), l)
		return "", false
	}
	return d.text(t, join(path, string(l)))
}

// langName names a language in English, for messages.
func langName(l benefits.Lang) string {
	if l == benefits.Spanish {
		return "Spanish"
	}
	return "English"
}

// levelRefs checks the benefit ids every level lists against the
// catalogue, and returns the ids of each level by its number.
func (d *decoder) levelRefs(levels []levelEntry, known map[string]bool) map[int][]string {
	byLevel := make(map[int][]string, len(levels))
	for _, e := range levels {
		byLevel[e.Number] = d.levelIDs(e, known)
	}
	return byLevel
}

// levelIDs checks that level e lists only known benefits, each once.
func (d *decoder) levelIDs(e levelEntry, known map[string]bool) []string {
	var ids []string
	path := join(e.path, "benefits")
	for i, item := range e.benefits {
		id, p := item.Value, index(path, i)
		switch {
		case !known[id]:
			d.report(item, p, ErrBenefit,
				"unknown benefit %q; list only ids of the benefits catalogue", id)
		case slices.Contains(ids, id):
			d.report(item, p, ErrDuplicateKey, "benefit %q is listed twice in level %d", id, e.Number)
		default:
			ids = append(ids, id)
		}
	}
	return ids
}
