package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The OpenAPI document is kept true three ways: its paths and operations
// are exactly the routes, every example in it validates against its
// schema, and every answer the tests receive (see testService.do) has a
// status the document lists for the route and a body its schema accepts.

// openAPI returns the embedded document, parsed.
func openAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(openAPIDocument, &doc))
	return doc
}

func TestOpenAPIListsExactlyTheRoutes(t *testing.T) {
	doc := openAPI(t)
	assert.Equal(t, "3.1.0", doc["openapi"])
	var inRoutes, inDoc []string
	for _, rt := range routes {
		inRoutes = append(inRoutes, rt.method+" "+rt.path)
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			inDoc = append(inDoc, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(inRoutes)
	slices.Sort(inDoc)
	assert.Equal(t, inRoutes, inDoc)
}

func TestOpenAPIExamplesValidate(t *testing.T) {
	doc := openAPI(t)
	n := 0
	walkExamples(doc["paths"], "paths", func(where string, schema, example any) {
		n++
		for _, p := range validate(doc, schema, example, "") {
			t.Errorf("%s: example: %s", where, p)
		}
	})
	assert.GreaterOrEqual(t, n, 15, "examples found")

	// A body that breaks its schema is caught, so the checks above mean
	// something.
	bad := map[string]any{"status": "up"}
	assert.NotEmpty(t, validate(doc, ref("Health"), bad, ""))
}

func TestOpenAPIIsServed(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.do(t, http.MethodGet, "/openapi.json", "", nil)
	require.Equal(t, http.StatusOK, res.status)
	assert.Equal(t, "application/json", res.header.Get("Content-Type"))
	assert.JSONEq(t, string(openAPIDocument), string(res.body))
}

// walkExamples calls f with the schema and example of every media type
// under v.
func walkExamples(v any, where string, f func(where string, schema, example any)) {
	switch v := v.(type) {
	case map[string]any:
		if ex, ok := v["example"]; ok {
			if s, ok := v["schema"]; ok {
				f(where, s, ex)
			}
		}
		for k, sub := range v {
			walkExamples(sub, where+"/"+k, f)
		}
	case []any:
		for i, sub := range v {
			walkExamples(sub, where+"/"+strconv.Itoa(i), f)
		}
	}
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// checkDocumented checks that res is an answer the document lists for
// method and path: its status, or the default answer, and a body its
// schema accepts. A path outside the document must be a problem.
func checkDocumented(t *testing.T, method, path string, res result) {
	t.Helper()
	doc := openAPI(t)
	ctype := res.header.Get("Content-Type")
	if res.status >= 400 {
		require.Equal(t, "application/problem+json", ctype, "body: %s", res.body)
	}
	op, _ := dig(doc, "paths", path, strings.ToLower(method)).(map[string]any)
	if op == nil {
		require.GreaterOrEqual(t, res.status, 400, "%s %s answered but is not documented", method, path)
		checkBody(t, doc, ref("Problem"), res.body)
		return
	}
	resp, ok := dig(op, "responses", strconv.Itoa(res.status)).(map[string]any)
	if !ok {
		resp, ok = dig(op, "responses", "default").(map[string]any)
		require.True(t, ok && res.status >= 400, "%s %s: status %d is not documented", method, path, res.status)
	}
	require.NotNil(t, dig(resp, "headers", "Rules-Version"), "%s %s %d: Rules-Version", method, path, res.status)
	schema := dig(resp, "content", ctype, "schema")
	require.NotNil(t, schema, "%s %s %d: no schema for %s", method, path, res.status, ctype)
	checkBody(t, doc, schema, res.body)
}

func checkBody(t *testing.T, doc map[string]any, schema any, body []byte) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(body, &v), "body: %s", body)
	for _, p := range validate(doc, schema, v, "") {
		t.Errorf("answer does not match its schema: %s", p)
	}
}

// dig follows keys into nested objects; nil when one is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// validate checks v against the part of JSON Schema the document uses:
// $ref, type (one or a list), enum, pattern, minimum, maximum, properties,
// required, additionalProperties false, items. It returns each mismatch.
func validate(doc map[string]any, schema, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: schema is not an object", at)}
	}
	if r, ok := s["$ref"].(string); ok {
		target := dig(doc, strings.Split(strings.TrimPrefix(r, "#/"), "/")...)
		if target == nil {
			return []string{fmt.Sprintf("%s: dangling $ref %s", at, r)}
		}
		return validate(doc, target, v, at)
	}
	if t, ok := s["type"]; ok && !typeMatches(t, v) {
		return []string{fmt.Sprintf("%s: %v is not of type %v", at, v, t)}
	}
	var out []string
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		out = append(out, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	if str, ok := v.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			out = append(out, fmt.Sprintf("%s: %q does not match %s", at, str, p))
		}
	}
	if n, ok := v.(float64); ok {
		if lo, ok := s["minimum"].(float64); ok && n < lo {
			out = append(out, fmt.Sprintf("%s: %v is below %v", at, n, lo))
		}
		if hi, ok := s["maximum"].(float64); ok && n > hi {
			out = append(out, fmt.Sprintf("%s: %v is above %v", at, n, hi))
		}
	}
	switch v := v.(type) {
	case map[string]any:
		out = append(out, validateObject(doc, s, v, at)...)
	case []any:
		if items, ok := s["items"]; ok {
			for i, x := range v {
				out = append(out, validate(doc, items, x, at+"/"+strconv.Itoa(i))...)
			}
		}
	}
	return out
}

func validateObject(doc, s map[string]any, v map[string]any, at string) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	for _, r := range asList(s["required"]) {
		if _, ok := v[r.(string)]; !ok {
			out = append(out, fmt.Sprintf("%s: required field %q is missing", at, r))
		}
	}
	for k, x := range v {
		ps, ok := props[k]
		if !ok {
			if s["additionalProperties"] == false {
				out = append(out, fmt.Sprintf("%s: field %q is not in the schema", at, k))
			}
			continue
		}
		out = append(out, validate(doc, ps, x, at+"/"+k)...)
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// typeMatches reports whether v is of the JSON type t, or one of the list t.
func typeMatches(t, v any) bool {
	if list, ok := t.([]any); ok {
		return slices.ContainsFunc(list, func(x any) bool { return typeMatches(x, v) })
	}
	switch t {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == math.Trunc(n)
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}
