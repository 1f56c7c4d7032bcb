// Package schemacheck tests rules.schema.json, the JSON Schema editors use
// to check rules.yaml while a product team types, against the default
// rules and the broken files of testdata/rules. It is a module of its own
// so that the library's module does not depend on a JSON Schema library.
//
// Run its tests from this folder: go test ./...
package schemacheck
