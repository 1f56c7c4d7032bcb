package referralrules

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// document parses data as exactly one YAML document without anchors or
// aliases, and returns its top node, or nil after reporting why it cannot.
// Decoding into nodes does not expand aliases, so an alias bomb costs no
// more memory than its own bytes before it is refused here.
func (d *decoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		d.decodeError(err)
		return nil
	}
	if len(doc.Content) == 0 {
		d.report(nil, "", ErrMissing, "the file is empty")
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.report(&extra, "", ErrSyntax, "the file holds a second YAML document; remove the line with ---")
		return nil
	case !errors.Is(err, io.EOF):
		d.decodeError(err)
		return nil
	}
	if !d.plain(&doc) {
		return nil
	}
	return doc.Content[0]
}

// plain reports whether the tree under n has no anchor (&name), and
// reports every anchor it finds. An alias (*name) always repeats an anchor,
// so reporting the anchors names every place to fix without one line per
// alias.
func (d *decoder) plain(n *yaml.Node) bool {
	ok := true
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n, stack = stack[len(stack)-1], stack[:len(stack)-1]
		if n.Anchor != "" {
			d.report(n, "", ErrAlias, "anchors (&%s) and aliases (*%s) are not allowed: "+
				"write each value out in full", n.Anchor, n.Anchor)
			ok = false
		}
		stack = append(stack, n.Content...)
	}
	return ok
}

// yamlLine finds the line number in an error of the YAML parser.
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// decodeError reports an error of the YAML parser, at its line when the
// parser names one (it does not name a column).
func (d *decoder) decodeError(err error) {
	if errors.Is(err, io.EOF) {
		d.report(nil, "", ErrMissing, "the file is empty")
		return
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{File: d.file, Err: ErrSyntax, Msg: "not valid YAML: " + msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Msg = "not valid YAML: " + m[2]
	}
	d.problems = append(d.problems, p)
}
