package bench

import (
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/interpreter"
)

// The level of a count of active paid referrals (D1): 5-8 is level 1, 9-12
// level 2, 13-25 level 3, 26 or more level 4, below 5 no level. Each
// benchmark looks up the counts 0 to 39 in turn and adds up the levels, so
// that no engine can answer from one cached value.

// levelRule is the same table as one expression, for expr and cel-go.
const levelRule = "n >= 26 ? 4 : n >= 13 ? 3 : n >= 9 ? 2 : n >= 5 ? 1 : 0"

var benchLevel int

// BenchmarkLevel/library is tier.Table.Lookup on the levels loaded from the
// embedded rules.yaml, which gives the whole Level (bounds and rate too);
// library-number is tier.Table.Number, which gives the level's number, as
// the scan and the two engines do.
func BenchmarkLevel(b *testing.B) {
	b.Run("library", func(b *testing.B) {
		levels := referralrules.Default().Levels()
		b.ReportAllocs()
		sum := 0
		for i := 0; b.Loop(); i++ {
			lv, _ := levels.Lookup(i % 40)
			sum += lv.Number
		}
		benchLevel = sum
	})

	b.Run("library-number", func(b *testing.B) {
		levels := referralrules.Default().Levels()
		b.ReportAllocs()
		sum := 0
		for i := 0; b.Loop(); i++ {
			sum += levels.Number(i % 40)
		}
		benchLevel = sum
	})

	b.Run("scan", func(b *testing.B) {
		// A hand-written scan of the four minimums, highest first.
		mins := [4]int{5, 9, 13, 26}
		b.ReportAllocs()
		sum := 0
		for i := 0; b.Loop(); i++ {
			n, lv := i%40, 0
			for k := len(mins) - 1; k >= 0; k-- {
				if n >= mins[k] {
					lv = k + 1
					break
				}
			}
			sum += lv
		}
		benchLevel = sum
	})

	b.Run("expr", func(b *testing.B) {
		type env struct {
			N int `expr:"n"`
		}
		prog, err := expr.Compile(levelRule, expr.Env(env{}), expr.AsInt())
		if err != nil {
			b.Fatal(err)
		}
		var machine vm.VM // reused, as expr's docs advise for hot loops
		b.ReportAllocs()
		sum := 0
		for i := 0; b.Loop(); i++ {
			out, err := machine.Run(prog, env{N: i % 40})
			if err != nil {
				b.Fatal(err)
			}
			sum += out.(int)
		}
		benchLevel = sum
	})

	b.Run("cel", func(b *testing.B) {
		cenv, err := cel.NewEnv(cel.Variable("n", cel.IntType))
		if err != nil {
			b.Fatal(err)
		}
		ast, iss := cenv.Compile(levelRule)
		if iss.Err() != nil {
			b.Fatal(iss.Err())
		}
		prg, err := cenv.Program(ast, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			b.Fatal(err)
		}
		// Activations built beforehand, one per count: generous to cel-go,
		// which would otherwise also pay for a map per call.
		acts := make([]interpreter.Activation, 40)
		for n := range acts {
			if acts[n], err = interpreter.NewActivation(map[string]any{"n": int64(n)}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		sum := 0
		for i := 0; b.Loop(); i++ {
			out, _, err := prg.Eval(acts[i%40])
			if err != nil {
				b.Fatal(err)
			}
			sum += int(out.Value().(int64))
		}
		benchLevel = sum
	})
}

// TestLevelEnginesAgree checks that the four ways give the same level for
// every count the benchmarks use.
func TestLevelEnginesAgree(t *testing.T) {
	levels := referralrules.Default().Levels()
	prog, err := expr.Compile(levelRule, expr.Env(map[string]any{"n": 0}), expr.AsInt())
	if err != nil {
		t.Fatal(err)
	}
	cenv, _ := cel.NewEnv(cel.Variable("n", cel.IntType))
	ast, iss := cenv.Compile(levelRule)
	if iss.Err() != nil {
		t.Fatal(iss.Err())
	}
	prg, _ := cenv.Program(ast)
	for n := range 40 {
		lv, _ := levels.Lookup(n)
		e, err := expr.Run(prog, map[string]any{"n": n})
		if err != nil {
			t.Fatal(err)
		}
		c, _, err := prg.Eval(map[string]any{"n": int64(n)})
		if err != nil {
			t.Fatal(err)
		}
		if e.(int) != lv.Number || int(c.Value().(int64)) != lv.Number || levels.Number(n) != lv.Number {
			t.Errorf("level of %d: library %d (Number %d), expr %v, cel %v", n, lv.Number, levels.Number(n), e, c.Value())
		}
	}
}
