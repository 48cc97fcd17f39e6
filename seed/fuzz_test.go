package seed_test

// FuzzParse feeds the bundle parser (YAML, strict) anything: it must
// return a bundle or an error, never panic, and a parsed bundle must
// validate without panicking.

import (
	"testing"

	"github.com/phakhi/phakhi/seed"
)

func FuzzParse(f *testing.F) {
	for _, file := range seed.Files {
		// the real files, cut to keep each run quick
		f.Add(file.Data[:min(len(file.Data), 4096)])
	}
	for _, s := range []string{
		"", "nodes: []\n", "nodes:\n  - id: x\n    label: Person\n    name: x\n",
		"nodes:\n  - id: x\n    label: Person\n    name: x\n    colour: red\n",
		"nodes:\n  - id: x\n    id: y\n", "relationships:\n  - from: a\n    to: b\n    type: MEMBER_OF\n",
		"nodes: &a [*a]\n", "a: &a [*a, *a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
		"nodes:\n  - !!binary aGVsbG8=\n", "nodes: {}\n", "---\n---\n", "nodes:\n  - start: {date: 2007-13-45}\n",
		"\t\x00\xff", "[", "{", "nodes:\n\t- x", "%YAML 1.1\n---\nnodes: []\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := seed.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		_ = b.Validate()
	})
}
