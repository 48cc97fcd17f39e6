package analyze

import (
	"bytes"
	"os"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/phakhi/phakhi/domain"
)

// seedBundle is the seed graph, read from seed/'s files as seed.Bundle
// reads them (strictly, then validated). The tests cannot import seed:
// it imports the store, which cuts names into words with this package.
func seedBundle(tb testing.TB) (*domain.Bundle, error) {
	tb.Helper()
	all := &domain.Bundle{}
	for _, name := range []string{"../seed/geography.yaml", "../seed/graph.yaml"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var b domain.Bundle
		if err := yaml.NewDecoder(bytes.NewReader(raw), yaml.DisallowUnknownField()).Decode(&b); err != nil {
			return nil, err
		}
		all.Nodes = append(all.Nodes, b.Nodes...)
		all.Relationships = append(all.Relationships, b.Relationships...)
	}
	return all, all.Validate()
}
