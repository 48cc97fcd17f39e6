package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// Ensure `phakhi analyze FILE` prints the analysis as JSON, in the shape
// analyzeDocument answers, against the seed graph when NEO4J_URI is unset.
func TestAnalyzeCommand(t *testing.T) {
	var out, errs bytes.Buffer
	getenv := func(string) string { return "" }
	if code := analyzeCommand(context.Background(), []string{"seed/source/000_f20a06c6ef58db93.txt"}, getenv, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	var a struct {
		Sources []struct {
			ID       string `json:"id"`
			Existing bool   `json:"existing"`
		} `json:"sources"`
		Mentions []struct {
			Text   string  `json:"text"`
			Chosen *string `json:"chosen"`
		} `json:"mentions"`
		Draft string `json:"draft"`
	}
	if err := json.Unmarshal(out.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Sources) != 6 || a.Sources[5].ID != "gotoknow-85545-c5" || !a.Sources[0].Existing {
		t.Fatalf("sources = %+v", a.Sources)
	}
	found := false
	for _, m := range a.Mentions {
		if m.Text == "ธกส." && m.Chosen != nil && *m.Chosen == "baac" {
			found = true
		}
	}
	if !found || a.Draft == "" {
		t.Fatalf("no ธกส. = baac in %d mentions", len(a.Mentions))
	}
	if code := analyzeCommand(context.Background(), []string{"no-such-file"}, getenv, &out, &errs); code != 1 {
		t.Fatalf("a missing file exits %d", code)
	}
}
