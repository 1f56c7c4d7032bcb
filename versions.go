package referralrules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/caba1337/referralrules/referral"
	"gopkg.in/yaml.v3"
)

// Errors of versions: the first two are problems of loading a file; At
// returns the third.
var (
	// ErrVersionOverlap: two versions of one file in force from the same
	// month.
	ErrVersionOverlap = errors.New("two versions for one month")
	// ErrVersionOrder: a version listed before one that comes into force
	// earlier.
	ErrVersionOrder = errors.New("versions out of order")
	// ErrBeforeFirstVersion: a month before the first version of the rules
	// is in force.
	ErrBeforeFirstVersion = errors.New("month before the first version of the rules")
)

// top decodes the top block of a rules file into its versions, oldest
// first. A file is either one version (the block holds the program
// itself, effective_from optional) or a list under versions, each item a
// whole program with its effective_from, listed oldest first.
func (d *decoder) top(top *yaml.Node) []*Program {
	if top.Kind != yaml.MappingNode || !hasKey(top, "versions") {
		v := &Program{}
		d.rules(top, v, false)
		v.checksum = contentChecksum(top)
		return []*Program{v}
	}
	var list *yaml.Node
	for _, e := range d.entries(top, "") {
		if e.key.Value == "versions" {
			list = e.value
			continue
		}
		d.report(e.key, e.key.Value, ErrUnknownField,
			"a file with versions holds nothing else: move %q into each version", e.key.Value)
	}
	items := d.items(list, "versions")
	if len(items) == 0 && list.Kind == yaml.SequenceNode {
		d.report(list, "versions", ErrMissing, "the list is empty; write at least one version")
	}
	return d.versions(items)
}

// versions decodes the items of the versions list, each a whole program,
// and checks that they come into force one after the other, each with an
// id of its own.
func (d *decoder) versions(items []*yaml.Node) []*Program {
	out := make([]*Program, 0, len(items))
	var prev *yaml.Node // effective_from of the last version decoded with one
	var prevM referral.Month
	prevPath := ""
	ids := map[string]int{} // version id -> line
	for i, item := range items {
		v := &Program{}
		d.prefix = index("versions", i)
		eff := d.rules(item, v, true)
		if v.version != "" {
			if line, dup := ids[v.version]; dup {
				d.report(versionNode(item), "version", ErrDuplicateKey,
					"version %q is already used on line %d; give each version its own id", v.version, line)
			} else {
				ids[v.version] = versionNode(item).Line
			}
		}
		if eff != nil && v.effective != 0 {
			d.checkOrder(eff, v.effective, prev, prevM, prevPath)
			prev, prevM, prevPath = eff, v.effective, index("versions", i)
		}
		d.prefix = ""
		v.checksum = contentChecksum(item)
		out = append(out, v)
	}
	return out
}

// checkOrder checks that a version in force from m, written at node n,
// comes into force after the version before it, prevPath, in force from
// prevM as written at node prev (nil for the first version).
func (d *decoder) checkOrder(n *yaml.Node, m referral.Month, prev *yaml.Node, prevM referral.Month,
	prevPath string) {
	switch {
	case prev == nil:
	case m == prevM:
		d.report(n, "effective_from", ErrVersionOverlap,
			"%s is already in force from %s (line %d); give each version a month of its own",
			prevPath, m, prev.Line)
	case m < prevM:
		d.report(n, "effective_from", ErrVersionOrder,
			"%s is before %s, when %s comes into force (line %d); list the versions oldest first",
			m, prevM, prevPath, prev.Line)
	}
}

// month decodes a month written YYYY-MM.
func (d *decoder) month(n *yaml.Node, path string) (referral.Month, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		if m, err := referral.ParseMonth(n.Value); err == nil {
			return m, true
		}
	}
	d.report(n, path, ErrInvalid, "must be a month written YYYY-MM, such as 2026-07, not %s", describe(n))
	return 0, false
}

// hasKey reports whether mapping n has the key name.
func hasKey(n *yaml.Node, name string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return true
		}
	}
	return false
}

// versionNode returns the node of the version field of a version's block,
// or the block itself when it has none.
func versionNode(n *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "version" {
			return n.Content[i+1]
		}
	}
	return n
}

// contentChecksum returns the SHA-256, in hex, of the block n of one
// version as yaml.v3 writes it back with every comment removed: comments,
// blank lines, indentation and the other versions of the file leave it
// unchanged; any key or value changes it. It strips n's comments.
func contentChecksum(n *yaml.Node) string {
	stripComments(n)
	out, err := yaml.Marshal(n)
	if err != nil {
		// A tree the parser built always encodes; fall back to nothing
		// rather than a checksum of something else.
		return ""
	}
	sum := sha256.Sum256(out)
	return hex.EncodeToString(sum[:])
}

// stripComments removes the comments of every node under n.
func stripComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		stripComments(c)
	}
}

// Versions returns the versions of the program, oldest first: a file of one
// version gives one. Each version is a Program of its own, with the
// countries, levels, benefits and settings it holds, its id (Version), its
// first month in force (EffectiveFrom), and as Checksum the SHA-256 of its
// content: its block of the file as written back without comments, so
// that editing comments or adding a version leaves the checksum of the
// others, and of the statements they computed, unchanged.
func (p *Program) Versions() []*Program {
	if p.versions == nil {
		return []*Program{p}
	}
	return append([]*Program(nil), p.versions...)
}

// EffectiveFrom returns the first month the version is in force, and false
// when it has no effective_from (the single version of a file, in force
// for every month). Of a file, it returns the first version's.
func (p *Program) EffectiveFrom() (referral.Month, bool) {
	first := p.Versions()[0]
	return first.effective, first.effective != 0
}

// At returns the version in force in month m: the last version whose
// effective_from is m or earlier. A month before the first version is in
// force is an error wrapping ErrBeforeFirstVersion that names both months.
func (p *Program) At(m referral.Month) (*Program, error) {
	vs := p.Versions()
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].effective <= m {
			return vs[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %s is before %s, when version %q comes into force",
		ErrBeforeFirstVersion, m, vs[0].effective, vs[0].version)
}

// run is a run of consecutive months under one version.
type run struct {
	v        *Program
	from, to referral.Month
}

// runs splits months from through to into runs under one version each,
// oldest first.
func (p *Program) runs(from, to referral.Month) ([]run, error) {
	var out []run
	for m := from; m <= to; m++ {
		v, err := p.At(m)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && out[len(out)-1].v == v {
			out[len(out)-1].to = m
			continue
		}
		out = append(out, run{v: v, from: m, to: m})
	}
	return out, nil
}
