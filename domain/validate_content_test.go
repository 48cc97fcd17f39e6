package domain_test

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func node() domain.NodeRecord {
	return domain.NodeRecord{ID: "content-test", Label: domain.LabelAgency, Kind: "FOUNDATION", Name: "มูลนิธิ​ทดสอบ",
		Evidence: []domain.Evidence{{Source: "gotoknow-85545", Quote: "มูลนิธิ\nบรรทัดสอง\tแท็บ"}}}
}

func TestValidateContent(t *testing.T) {
	t.Run("Ensure a Thai name with a zero-width space, and a quote with lines and tabs, pass", func(t *testing.T) {
		n := node()
		n.URL = "https://www.codi.or.th/"
		if err := n.Validate("input"); err != nil {
			t.Fatal(err)
		}
	})
	for _, c := range []struct {
		name, field string
		edit        func(*domain.NodeRecord)
	}{
		{"a javascript: url", "input.url", func(n *domain.NodeRecord) { n.URL = "javascript:alert(1)" }},
		{"a data: url", "input.url", func(n *domain.NodeRecord) { n.URL = "data:text/html,<script>alert(1)</script>" }},
		{"a file: url", "input.url", func(n *domain.NodeRecord) { n.URL = "file:///etc/passwd" }},
		{"a url without a host", "input.url", func(n *domain.NodeRecord) { n.URL = "https:///x" }},
		{"a relative url", "input.url", func(n *domain.NodeRecord) { n.URL = "/explore" }},
		{"a NUL in a name", "input.name", func(n *domain.NodeRecord) { n.Name = "ab\x00c" }},
		{"a newline in a name", "input.name", func(n *domain.NodeRecord) { n.Name = "ab\nc" }},
		{"an escape in an English name", "input.nameEn", func(n *domain.NodeRecord) { n.NameEn = "a\x1b[31mred" }},
		{"a C1 control in a description", "input.description", func(n *domain.NodeRecord) { n.Description = "a\u0085b" }},
		{"a right-to-left override in a name", "input.name", func(n *domain.NodeRecord) { n.Name = "abc\u202Egpj.exe" }},
		{"a left-to-right isolate in an alias", "input.aliases[0]", func(n *domain.NodeRecord) { n.Aliases = []string{"x\u2066y"} }},
		{"a pop directional formatting in a description", "input.description", func(n *domain.NodeRecord) { n.Description = "x\u202Cy" }},
		{"a name of zero-width spaces only", "input.name", func(n *domain.NodeRecord) { n.Name = "\u200B\u200B" }},
		{"an alias of a BOM and a word joiner only", "input.aliases[0]", func(n *domain.NodeRecord) { n.Aliases = []string{"\uFEFF\u2060"} }},
		{"a quote of Hangul fillers only", "input.evidence[0].quote", func(n *domain.NodeRecord) { n.Evidence[0].Quote = "\u3164\u3164" }},
	} {
		t.Run("Ensure "+c.name+" is refused, naming the field", func(t *testing.T) {
			n := node()
			c.edit(&n)
			err := n.Validate("input")
			if err == nil {
				t.Fatal("accepted")
			}
			if domain.ErrorCode(err) != domain.EINVALID || !strings.HasPrefix(err.Error(), c.field+":") {
				t.Fatalf("%v (code %s)", err, domain.ErrorCode(err))
			}
		})
	}
	t.Run("Ensure a relationship description with a bidi override is refused", func(t *testing.T) {
		r := domain.RelRecord{Type: domain.RelTypes[0], From: "a", To: "b", Description: "x\u202Dy",
			Evidence: []domain.Evidence{{Source: "s", Quote: "q"}}}
		if err := r.Validate("rel"); err == nil || !strings.HasPrefix(err.Error(), "rel.description:") {
			t.Fatalf("%v", err)
		}
	})
}
