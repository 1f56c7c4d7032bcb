package schemacheck

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// root is the library's module, one folder up.
const root = ".."

// compile returns the compiled rules.schema.json.
func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "rules.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("rules.schema.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("rules.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("rules.schema.json")
	if err != nil {
		t.Fatalf("compile rules.schema.json: %v", err)
	}
	return sch
}

// check reads the YAML file at path as an editor would, and validates it
// against the schema. A file that is not YAML, or holds a duplicate key,
// fails before the schema is asked, as it does in an editor.
func check(sch *jsonschema.Schema, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestDefaultRulesPass(t *testing.T) {
	sch := compile(t)
	for _, name := range []string{"rules.yaml", "testdata/rules/good/minimal.yaml",
		"testdata/rules/good/versions.yaml"} {
		if err := check(sch, filepath.Join(root, name)); err != nil {
			t.Errorf("%s does not pass rules.schema.json:\n%v", name, err)
		}
	}
}

// badFiles tells, for each file of testdata/rules/bad, whether the schema
// (with the YAML reading before it) catches its defect. Those it cannot
// catch need the loader: they cross-reference parts of the file (benefit
// ids, country currencies, one level against the next), need data the
// schema lacks (time zones), or vanish when YAML becomes JSON (2.0 is an
// integer there; an alias is expanded).
var badFiles = map[string]bool{
	"alias_bomb":                      true, // top-level keys the schema does not know
	"aliases":                         false,
	"benefit_missing_language":        true,
	"bool_as_text":                    true,
	"country_code_lowercase":          true,
	"country_currency_not_listed":     false,
	"duplicate_benefit_id":            false,
	"duplicate_country":               true, // refused when read, as a duplicate key
	"duplicate_key":                   true, // likewise
	"empty":                           true,
	"float_for_integer":               false,
	"last_level_max":                  false,
	"level_gap":                       false,
	"level_number_order":              false,
	"level_overlap":                   false,
	"many_problems":                   true,
	"minor_units_out_of_range":        true,
	"missing_required":                true,
	"negative_setting":                true,
	"rate_above_100":                  true,
	"rate_not_increasing":             false,
	"rate_text_without_percent":       true,
	"rate_zero":                       true,
	"second_document":                 true, // the first document lacks settings
	"syntax_error":                    true,
	"unknown_benefit":                 false,
	"unknown_currency":                true,
	"unknown_field":                   true,
	"unknown_payout":                  true,
	"unknown_rounding":                true,
	"unknown_time_zone":               false,
	"unknown_top_field":               true,
	"version_not_text":                true,
	"versions_duplicate_id":           false, // one version against another
	"versions_field_beside":           true,
	"versions_malformed_month":        true,
	"versions_missing_effective_from": true,
	"versions_out_of_order":           false, // one version against another
	"versions_same_month":             false, // likewise
	"wrong_type_text":                 true,
}

func TestBadFiles(t *testing.T) {
	sch := compile(t)
	paths, err := filepath.Glob(filepath.Join(root, "testdata", "rules", "bad", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no bad files found: %v", err)
	}
	seen := map[string]bool{}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			caught, listed := badFiles[name]
			if !listed {
				t.Fatalf("%s is not in badFiles: say whether the schema catches it", path)
			}
			err := check(sch, path)
			switch {
			case caught && err == nil:
				t.Errorf("rules.schema.json accepts %s", path)
			case !caught && err != nil:
				t.Errorf("rules.schema.json now refuses %s; mark it caught:\n%v", path, err)
			}
		})
	}
	for name := range badFiles {
		if !seen[name] {
			t.Errorf("badFiles lists %s, which testdata/rules/bad does not hold", name)
		}
	}
}
