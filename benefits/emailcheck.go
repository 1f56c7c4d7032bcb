package benefits

import (
	"fmt"
	"maps"
	"reflect"
	"text/template"
	"text/template/parse"
)

// fieldChecker finds, without executing a template, every field or method
// it names that its data type does not have, in every branch: executing
// against a sample value would miss a field inside an {{if}} the sample
// does not enter. It follows the type of dot through {{range}}, {{with}}
// and {{template}}, and the type of variables; where a type cannot be known
// (the result of a function, an interface) it checks nothing further.
type fieldChecker struct {
	set      *template.Template
	tree     *parse.Tree // the tree being walked
	problems []fieldProblem
	visiting map[string]bool // named templates on the current path
}

// scope maps the variables in scope to their types; "$" is the data.
type scope map[string]reflect.Type

// fieldProblem is an unknown field at a node of a tree.
type fieldProblem struct {
	tree *parse.Tree
	node parse.Node
	msg  string
}

// checkFields checks the template called name of set against data type
// root.
func checkFields(set *template.Template, name string, root reflect.Type) []fieldProblem {
	c := &fieldChecker{set: set, visiting: map[string]bool{}}
	c.template(name, root)
	return c.problems
}

// template checks the named template of the set with dot of type dot.
func (c *fieldChecker) template(name string, dot reflect.Type) {
	t := c.set.Lookup(name)
	if t == nil || t.Tree == nil || c.visiting[name] {
		return
	}
	c.visiting[name] = true
	outer := c.tree
	c.tree = t.Tree
	c.list(t.Tree.Root, dot, scope{"$": dot})
	c.tree = outer
	delete(c.visiting, name)
}

// list checks each node of a list; variables declared in it stay in scope
// to its end.
func (c *fieldChecker) list(l *parse.ListNode, dot reflect.Type, vars scope) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		c.node(n, dot, vars)
	}
}

// node checks one node of a tree.
func (c *fieldChecker) node(n parse.Node, dot reflect.Type, vars scope) {
	switch n := n.(type) {
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot, vars)
	case *parse.IfNode:
		c.branch(&n.BranchNode, dot, vars, false)
	case *parse.WithNode:
		c.branch(&n.BranchNode, dot, vars, false)
	case *parse.RangeNode:
		c.branch(&n.BranchNode, dot, vars, true)
	case *parse.TemplateNode:
		var t reflect.Type
		if n.Pipe != nil {
			t = c.pipe(n.Pipe, dot, vars)
		}
		c.template(n.Name, t)
	}
}

// branch checks an {{if}}, {{with}} or {{range}}: its pipeline, then its
// body with the dot and variables it gives, then its else part.
func (c *fieldChecker) branch(b *parse.BranchNode, dot reflect.Type, vars scope, isRange bool) {
	inner := clone(vars)
	t := c.pipe(b.Pipe, dot, inner)
	body := dot
	switch {
	case isRange:
		key, elem := rangeTypes(t)
		body = elem
		switch len(b.Pipe.Decl) {
		case 1:
			inner[b.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			inner[b.Pipe.Decl[0].Ident[0]] = key
			inner[b.Pipe.Decl[1].Ident[0]] = elem
		}
	case b.NodeType == parse.NodeWith:
		body = t
	}
	c.list(b.List, body, inner)
	c.list(b.ElseList, dot, clone(vars))
}

// pipe checks a pipeline, declares its variables and returns the type it
// yields, nil when unknown.
func (c *fieldChecker) pipe(p *parse.PipeNode, dot reflect.Type, vars scope) reflect.Type {
	if p == nil {
		return nil
	}
	var t reflect.Type
	for _, cmd := range p.Cmds {
		t = c.command(cmd, dot, vars)
	}
	if !p.IsAssign {
		for _, v := range p.Decl {
			vars[v.Ident[0]] = t
		}
	}
	return t
}

// command checks the arguments of a command and returns the type of its
// first one, which is what the command yields unless it is a function.
func (c *fieldChecker) command(cmd *parse.CommandNode, dot reflect.Type, vars scope) reflect.Type {
	var first reflect.Type
	for i, arg := range cmd.Args {
		t := c.arg(arg, dot, vars)
		if i == 0 {
			first = t
		}
	}
	return first
}

// arg checks one argument and returns its type, nil when unknown.
func (c *fieldChecker) arg(n parse.Node, dot reflect.Type, vars scope) reflect.Type {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.fields(n, dot, n.Ident)
	case *parse.VariableNode:
		return c.fields(n, vars[n.Ident[0]], n.Ident[1:])
	case *parse.ChainNode:
		return c.fields(n, c.arg(n.Node, dot, vars), n.Field)
	case *parse.PipeNode:
		return c.pipe(n, dot, clone(vars))
	}
	return nil
}

// fields follows a chain of field or method names from type t and reports
// the first one t does not have.
func (c *fieldChecker) fields(n parse.Node, t reflect.Type, names []string) reflect.Type {
	for _, name := range names {
		if t == nil {
			return nil
		}
		next, ok := member(t, name)
		if !ok {
			c.problems = append(c.problems, fieldProblem{tree: c.tree, node: n,
				msg: fmt.Sprintf("%s has no field or method %s", typeName(t), name)})
			return nil
		}
		t = next
	}
	return t
}

// member returns the type of field or method name of t, nil when it cannot
// be known, and false when t has no such member.
func member(t reflect.Type, name string) (reflect.Type, bool) {
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
		if m.Type.NumOut() == 0 {
			return nil, true
		}
		return m.Type.Out(0), true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		f, ok := t.FieldByName(name)
		if !ok || !f.IsExported() {
			return nil, false
		}
		return f.Type, true
	case reflect.Map:
		return t.Elem(), true
	case reflect.Interface:
		return nil, true
	}
	return nil, false
}

// rangeTypes returns the key and element types {{range}} gives over t.
func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	if t == nil {
		return nil, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeFor[int](), t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Int:
		return t, t
	}
	return nil, nil
}

// typeName names t for the person editing a template: "EmailData" or
// "[]BenefitLine" rather than a package path.
func typeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

func clone(vars scope) scope { return maps.Clone(vars) }
