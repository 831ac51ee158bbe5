package bench

import (
	"fmt"
	"strings"

	"github.com/ambitkit/ambit/query"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/google/cel-go/cel"
	"github.com/hashicorp/go-bexpr"
)

// Predicate is one logical predicate in each engine's language; an empty
// Bexpr means bexpr cannot express it.
type Predicate struct {
	Name  string
	Ambit string
	Expr  string
	CEL   string
	Bexpr string
}

// Predicates are the predicate cases: an equality, a 3-term and/or, a
// range and an in-list.
func Predicates() []Predicate {
	return []Predicate{
		{"equality", "Hosts/os_type=rhel8",
			`Hosts.os_type == "rhel8"`, `Hosts.os_type == "rhel8"`, `Hosts.os_type == "rhel8"`},
		{"3-term and/or", "Hosts/os_type=rhel8&Hosts/host_status=HEALTHY|Hosts/os_type=centos7",
			`Hosts.os_type == "rhel8" && Hosts.host_status == "HEALTHY" || Hosts.os_type == "centos7"`,
			`Hosts.os_type == "rhel8" && Hosts.host_status == "HEALTHY" || Hosts.os_type == "centos7"`,
			// bexpr's third term is bracketed for clarity; its == never
			// matched a value starting with "/" (such as a rack, /rack-03)
			// in our runs, so the case avoids one.
			`(Hosts.os_type == "rhel8" and Hosts.host_status == "HEALTHY") or Hosts.os_type == "centos7"`},
		{"range", "Hosts/cpu_count>=4&Hosts/cpu_count<12",
			`Hosts.cpu_count >= 4 && Hosts.cpu_count < 12`, `Hosts.cpu_count >= 4.0 && Hosts.cpu_count < 12.0`, ""},
		{"in-list", "Hosts/os_type.in(rhel8,centos7,ubuntu22)",
			`Hosts.os_type in ["rhel8", "centos7", "ubuntu22"]`, `Hosts.os_type in ["rhel8", "centos7", "ubuntu22"]`, ""},
	}
}

// Matcher evaluates a compiled predicate on record i of the data set.
type Matcher func(i int) bool

// Engine compiles predicates for one data set.
type Engine struct {
	Name string
	// Compile returns the matcher of p, or nil when the engine cannot
	// express it.
	Compile func(p Predicate) (Matcher, error)
}

// Engines returns the engines over the same hosts: ambit's query on
// records laid out in slots (as its store keeps them) and on property
// trees, expr, CEL and bexpr on the trees.
func Engines(hosts []map[string]any) []Engine {
	layout, records := slots(hosts)
	envs := make([]map[string]any, len(hosts)) // CEL's activation, built once
	for i, h := range hosts {
		envs[i] = map[string]any{"Hosts": h["Hosts"]}
	}
	celEnv, err := cel.NewEnv(cel.Variable("Hosts", cel.MapType(cel.StringType, cel.DynType)))
	if err != nil {
		panic(err)
	}
	return []Engine{
		{"ambit (slots)", func(p Predicate) (Matcher, error) {
			e, err := query.Parse(p.Ambit)
			if err != nil {
				return nil, err
			}
			b := query.Bind(e, layout)
			return func(i int) bool { return b.Match(records[i]) }, nil
		}},
		{"ambit (trees)", func(p Predicate) (Matcher, error) {
			e, err := query.Parse(p.Ambit)
			if err != nil {
				return nil, err
			}
			return func(i int) bool { return e.Match(query.Tree(hosts[i])) }, nil
		}},
		{"expr", func(p Predicate) (Matcher, error) {
			prog, err := expr.Compile(p.Expr, expr.Env(hosts[0]), expr.AsBool())
			if err != nil {
				return nil, err
			}
			var machine vm.VM
			return func(i int) bool {
				out, err := machine.Run(prog, hosts[i])
				return err == nil && out.(bool)
			}, nil
		}},
		{"cel-go", func(p Predicate) (Matcher, error) {
			ast, iss := celEnv.Compile(p.CEL)
			if iss.Err() != nil {
				return nil, iss.Err()
			}
			prg, err := celEnv.Program(ast)
			if err != nil {
				return nil, err
			}
			return func(i int) bool {
				out, _, err := prg.Eval(envs[i])
				return err == nil && out.Value() == true
			}, nil
		}},
		{"go-bexpr", func(p Predicate) (Matcher, error) {
			if p.Bexpr == "" {
				return nil, nil
			}
			ev, err := bexpr.CreateEvaluator(p.Bexpr)
			if err != nil {
				return nil, err
			}
			return func(i int) bool {
				ok, err := ev.Evaluate(hosts[i])
				return err == nil && ok
			}, nil
		}},
	}
}

// hostLayout lays a host's properties out in slots, as ambit's store does.
type hostLayout map[string]int

func (l hostLayout) Slot(p query.Path) (int, bool) {
	i, ok := l[strings.Join(p, "/")]
	return i, ok
}

func (l hostLayout) Category(p query.Path) []int {
	var out []int
	prefix := strings.Join(p, "/") + "/"
	for k, i := range l {
		if strings.HasPrefix(k, prefix) && !strings.Contains(k[len(prefix):], "/") {
			out = append(out, i)
		}
	}
	return out
}

func slots(hosts []map[string]any) (hostLayout, [][]any) {
	l := hostLayout{}
	var records [][]any
	for _, h := range hosts {
		props := h["Hosts"].(map[string]any)
		for k := range props {
			if _, ok := l["Hosts/"+k]; !ok {
				l["Hosts/"+k] = len(l)
			}
		}
		rec := make([]any, len(l))
		for k, v := range props {
			rec[l["Hosts/"+k]] = v
		}
		records = append(records, rec)
	}
	for i, rec := range records { // hosts seen before a later property was
		records[i] = append(rec, make([]any, len(l)-len(rec))...)
	}
	return l, records
}

// Matches returns the indexes of the records m matches, to check that
// engines agree before they are timed.
func Matches(m Matcher, n int) []int {
	var out []int
	for i := range n {
		if m(i) {
			out = append(out, i)
		}
	}
	return out
}

// Agree checks that every engine that can express p matches the same
// records, and returns how many they match.
func Agree(engines []Engine, p Predicate, n int) (int, error) {
	var want []int
	var first string
	for _, e := range engines {
		m, err := e.Compile(p)
		if err != nil {
			return 0, fmt.Errorf("%s: %s: %w", p.Name, e.Name, err)
		}
		if m == nil {
			continue
		}
		got := Matches(m, n)
		if first == "" {
			want, first = got, e.Name
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return 0, fmt.Errorf("%s: %s matches %d records, %s %d", p.Name, e.Name, len(got), first, len(want))
		}
	}
	return len(want), nil
}
