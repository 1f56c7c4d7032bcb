package referralrules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxWhole bounds every whole number of a rules file, so that sums of
// bounds can never overflow.
const maxWhole = 1_000_000_000

// decoder walks the YAML tree of one rules file and collects every problem
// it finds, with its position, instead of stopping at the first.
type decoder struct {
	file     string
	problems []Problem
	// prefix is the path of the version being decoded, such as
	// "versions[2]", put before every field path; "" for a file of one
	// version.
	prefix string
}

// report records a problem at node n (nil for the whole file).
func (d *decoder) report(n *yaml.Node, field string, err error, format string, args ...any) {
	if d.prefix != "" && field != "" {
		field = join(d.prefix, field)
	} else if d.prefix != "" {
		field = d.prefix
	}
	p := Problem{File: d.file, Field: field, Msg: fmt.Sprintf(format, args...), Err: err}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
		if n.Kind == yaml.ScalarNode {
			p.Value = n.Value
		}
	}
	d.problems = append(d.problems, p)
}

// entry is one key and its value in a YAML mapping.
type entry struct {
	key, value *yaml.Node
}

// entries returns the pairs of mapping n, reporting keys that are not
// plain text and keys written twice (only the first is kept).
func (d *decoder) entries(n *yaml.Node, path string) []entry {
	var out []entry
	first := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.report(k, path, ErrType, "a key must be plain text, not %s", describe(k))
			continue
		}
		if prev, dup := first[k.Value]; dup {
			d.report(k, join(path, k.Value), ErrDuplicateKey,
				"%q is written twice in the same block; the first one is on line %d",
				k.Value, prev.Line)
			continue
		}
		first[k.Value] = k
		out = append(out, entry{k, v})
	}
	return out
}

// fields checks that n is a block with no fields but the required and
// optional ones, each once and the required ones all present, and returns
// the value of every field found.
func (d *decoder) fields(
	n *yaml.Node, path string, required, optional []string,
) map[string]*yaml.Node {
	if !d.isKind(n, path, yaml.MappingNode) {
		return nil
	}
	out := make(map[string]*yaml.Node)
	misspelt := make(map[string]bool)
	for _, e := range d.entries(n, path) {
		name := e.key.Value
		if !slices.Contains(required, name) && !slices.Contains(optional, name) {
			misspelt[d.unknownField(e.key, path, slices.Concat(required, optional))] = true
			continue
		}
		out[name] = e.value
	}
	for _, name := range required {
		if _, ok := out[name]; !ok && !misspelt[name] {
			d.report(n, path, ErrMissing, "the required field %q is missing", name)
		}
	}
	return out
}

// unknownField reports key k, which is none of the known fields of path.
// It suggests, and returns, the known field k most likely misspells, so
// that the field is not reported missing as well; "" when none is close.
func (d *decoder) unknownField(k *yaml.Node, path string, known []string) string {
	for _, name := range known {
		if distance(k.Value, name) <= max(1, len(name)/3) {
			d.report(k, join(path, k.Value), ErrUnknownField,
				"unknown field %q; did you mean %q?", k.Value, name)
			return name
		}
	}
	d.report(k, join(path, k.Value), ErrUnknownField,
		"unknown field %q; the fields here are %s", k.Value, strings.Join(known, ", "))
	return ""
}

// distance is the edit distance between a and b (Levenshtein, by bytes).
func distance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			diag, row[j] = row[j], min(row[j]+1, row[j-1]+1, diag+cost)
		}
	}
	return row[len(b)]
}

// items returns the items of list n.
func (d *decoder) items(n *yaml.Node, path string) []*yaml.Node {
	if !d.isKind(n, path, yaml.SequenceNode) {
		return nil
	}
	return n.Content
}

// isKind reports whether n is a block (mapping) or a list (sequence) as
// wanted, and reports a problem when it is not.
func (d *decoder) isKind(n *yaml.Node, path string, want yaml.Kind) bool {
	if n.Kind == want {
		return true
	}
	what := "a block of fields"
	if want == yaml.SequenceNode {
		what = "a list"
	}
	d.report(n, path, ErrType, "must be %s, not %s", what, describe(n))
	return false
}

// text returns the non-empty text of scalar n.
func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.report(n, path, ErrType, "must be text, not %s (put it in quotes)", describe(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		d.report(n, path, ErrMissing, "must not be empty")
		return "", false
	}
	return n.Value, true
}

// whole returns the whole number of scalar n, written in plain digits.
func (d *decoder) whole(n *yaml.Node, path string) (int, bool) {
	i, err := strconv.Atoi(n.Value)
	ok := n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" && err == nil
	if !ok {
		d.report(n, path, ErrType, "must be a whole number such as 5, not %s", describe(n))
		return 0, false
	}
	if i < -maxWhole || i > maxWhole {
		d.report(n, path, ErrInvalid, "%s is too large", n.Value)
		return 0, false
	}
	return i, true
}

// boolean returns the true or false of scalar n.
func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	plain := n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool"
	if !plain || (n.Value != "true" && n.Value != "false") {
		d.report(n, path, ErrType, "must be true or false, not %s", describe(n))
		return false, false
	}
	return n.Value == "true", true
}

// describe names what n holds, for messages: "the text \"x\"", "a list".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a block of fields"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "an empty value"
	case "!!str":
		return fmt.Sprintf("the text %q", n.Value)
	case "!!int", "!!float":
		return "the number " + n.Value
	}
	return strconv.Quote(n.Value)
}

// join returns the path of field name inside path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// index returns the path of the i-th item (0-based) of list path, counted
// from 1 for people.
func index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i+1)
}
