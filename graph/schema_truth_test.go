package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	b, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(b)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	return s
}

// TestSchemaTellsTheTruth holds the schema's text to what the server does.
func TestSchemaTellsTheTruth(t *testing.T) {
	s := loadSchema(t)

	t.Run("Ensure every mutation is described, with the role it needs", func(t *testing.T) {
		for _, f := range s.Mutation.Fields {
			d := f.Directives.ForName("hasRole")
			if d == nil {
				t.Errorf("%s has no @hasRole", f.Name)
				continue
			}
			role := d.Arguments.ForName("role").Value.Raw
			if strings.TrimSpace(f.Description) == "" || !strings.Contains(f.Description, "(role: "+role) {
				t.Errorf("%s needs %s; its description %q does not say so", f.Name, role, f.Description)
			}
		}
	})

	ts := graph.NewTestServer(t)
	events := func(t *testing.T, date string) []any {
		t.Helper()
		resp := testkit.Query(t, ts.URL, `query($d: String) { events(filter: {dateFrom: $d, dateTo: $d}, first: 100) { edges { node { id } } } }`, map[string]any{"d": date})
		return testkit.Dig(testkit.MustData(t, resp), "events", "edges").([]any)
	}
	t.Run("Ensure NodeFilter's dates are read as its description says: ISO and Thai", func(t *testing.T) {
		desc := s.Types["NodeFilter"].Description
		if strings.Contains(desc, "not accepted") {
			t.Fatalf("NodeFilter says Thai dates are refused: %q", desc)
		}
		testkit.EnsureSeed(t)
		day := len(events(t, "2007-04-11"))
		if day == 0 {
			t.Fatal("no event on 2007-04-11")
		}
		// every form the description names, for 11 April 2007 (or its month or year)
		for _, d := range []string{"11 เมษายน 2550", "11 เม.ย. 50", "11/04/2550", "11/4/50", "๑๑ เมษายน ๒๕๕๐"} {
			if !strings.Contains(desc, d) {
				t.Errorf("the description does not name %s", d)
			}
			if n := len(events(t, d)); n != day {
				t.Errorf("%s: %d events, want %d as on 2007-04-11", d, n, day)
			}
		}
		for _, d := range []string{"มี.ค. 2550", "พ.ศ. 2550", "04/2550"} {
			if !strings.Contains(desc, d) {
				t.Errorf("the description does not name %s", d)
			}
			events(t, d) // read, not refused
		}
	})
}
