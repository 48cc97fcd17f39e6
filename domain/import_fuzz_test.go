package domain_test

// Fuzz tests of the import readers: every byte of an imported JSON bundle or
// CSV file is a user's. Seed corpora run with `go test`.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
)

// lineCount is the number of lines of a text, as the import counts them.
func lineCount[T string | []byte](s T) int { return bytes.Count([]byte(s), []byte("\n")) + 1 }

// seedSample is a slice of the seed graph, valid and realistic.
func seedSample(tb testing.TB, nodes, rels int) *domain.Bundle {
	tb.Helper()
	all, err := seed.Bundle()
	if err != nil {
		tb.Fatal(err)
	}
	return &domain.Bundle{Nodes: all.Nodes[:nodes], Relationships: all.Relationships[:rels]}
}

// recordIndex reads "nodes[3]" or "relationships[0]".
func recordIndex(record string) (list string, i int, ok bool) {
	list, rest, ok := strings.Cut(record, "[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return "", 0, false
	}
	i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	return list, i, err == nil && i >= 0 && strconv.Itoa(i) == strings.TrimSuffix(rest, "]")
}

// checkProblems checks what Bundle.Problems promises of any bundle: every
// problem names a record of the bundle and carries that record's line and a
// reason; it lists nothing Validate would pass but missing evidence; and
// when Validate fails, the first problem of the same kind is its error.
func checkProblems(t *testing.T, b *domain.Bundle, lines domain.Lines) {
	t.Helper()
	problems := b.Problems(lines)
	var firstOther *domain.Problem
	for i, p := range problems {
		list, idx, ok := recordIndex(p.Record)
		var line int
		switch {
		case ok && list == "nodes" && idx < len(b.Nodes):
			line = lines.Nodes[idx]
		case ok && list == "relationships" && idx < len(b.Relationships):
			line = lines.Rels[idx]
		default:
			t.Fatalf("problem %+v names no record of the bundle", p)
		}
		if p.Line != line || strings.TrimSpace(p.Reason) == "" {
			t.Fatalf("problem %+v: want line %d (its record's) and a reason", p, line)
		}
		missingEvidence := p.Field == "evidence" && strings.HasPrefix(p.Reason, "is empty")
		if !missingEvidence && firstOther == nil {
			firstOther = &problems[i]
		}
	}
	err := b.Validate()
	if err == nil {
		if firstOther != nil {
			t.Fatalf("Validate passes but Problems lists %+v", *firstOther)
		}
		return
	}
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.EINVALID {
		t.Fatalf("Validate: %#v is not a bad-input error", err)
	}
	if firstOther == nil {
		t.Fatalf("Validate fails (%v) but Problems lists nothing of it: %+v", err, problems)
	}
	if e.Field != firstOther.Record && !strings.HasPrefix(e.Field, firstOther.Record+".") || !strings.HasPrefix(firstOther.Reason, e.Message) {
		t.Fatalf("Validate fails with %v but the first problem is %+v", err, *firstOther)
	}
	if rest, ok := strings.CutPrefix(e.Field, firstOther.Record+"."); ok && firstOther.Field != rest {
		t.Fatalf("Validate fails on field %q but the first problem names %q", e.Field, firstOther.Field)
	}
}

// jsonRecordLines is an oracle for ParseBundleJSON's lines: in valid JSON,
// the line each element of each top-level array starts on, by key, and
// how many times each top-level key appears.
func jsonRecordLines(data []byte) (lines map[string][]int, keys map[string]int) {
	lines, keys = map[string][]int{}, map[string]int{}
	line, depth, key, expect := 1, 0, "", false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
			continue
		case ' ', '\t', '\r':
			continue
		}
		if depth == 2 && expect && c != ']' {
			lines[key] = append(lines[key], line)
		}
		expect = false
		switch c {
		case '"':
			j := i + 1
			for ; data[j] != '"'; j++ {
				if data[j] == '\\' {
					j++
				}
			}
			if depth == 1 {
				key = ""
				_ = json.Unmarshal(data[i:j+1], &key)
				keys[key]++
			}
			i = j
		case '{', '[':
			depth++
			expect = c == '[' && depth == 2
		case '}', ']':
			depth--
		case ',':
			expect = depth == 2
		}
	}
	return lines, keys
}

// canonical is a bundle's JSON, with no list written as null.
func canonical(t *testing.T, b *domain.Bundle) []byte {
	t.Helper()
	c := *b
	if c.Nodes == nil {
		c.Nodes = []domain.NodeRecord{}
	}
	if c.Relationships == nil {
		c.Relationships = []domain.RelRecord{}
	}
	out, err := json.Marshal(&c)
	if err != nil {
		t.Fatalf("marshal %+v: %v", b, err)
	}
	return out
}

// FuzzParseBundleJSON checks ParseBundleJSON: it returns a bundle only for
// one valid JSON document, the same bundle encoding/json reads from it,
// with each record's line right; otherwise exactly one "not a bundle"
// problem on a line of the input. A bundle it returns marshals and parses
// back to itself, and its Problems are consistent with Validate.
func FuzzParseBundleJSON(f *testing.F) {
	sample, err := json.MarshalIndent(seedSample(f, 6, 6), "", "  ")
	if err != nil {
		f.Fatal(err)
	}
	good := `{
  "nodes": [
    {"id": "src-1", "label": "Source", "kind": "WEB_PAGE", "name": "บันทึก", "url": "https://www.gotoknow.org/posts/85545", "evidence": [{"source": "src-1", "quote": "ที่มา"}]},
    {"id": "csv-forum", "label": "Event", "kind": "FORUM", "name": "เวทีสวัสดิการ", "start": {"date": "2007-02-04", "text": "4 ก.พ. 2550"}, "evidence": [{"source": "src-1", "quote": "เวที"}]}
  ],
  "relationships": [
    {"type": "PARTICIPATES_IN", "from": "codi", "to": "csv-forum", "role": "SUPPORT_PARTNER", "roleTh": "ภาคีสนับสนุน", "evidence": [{"source": "src-1", "quote": "โดยการสนับสนุนของพอช."}]}
  ]
}`
	for _, s := range []string{
		string(sample), good, strings.ReplaceAll(good, "\n", "\r\n"), "\ufeff" + good, good + "\n\n", good + "}", good + " {}", good[:len(good)-1], good[:len(good)/2],
		strings.Replace(good, `"csv-forum"`, `"bad id"`, 1), strings.Replace(good, "FORUM", "BAKERY", 1), strings.Replace(good, `"2007-02-04"`, `"2007-02-30"`, 1),
		strings.Replace(good, `"codi"`, `"csv-forum"`, 1), strings.Replace(good, `"nodes"`, `"Nodes"`, 1), strings.Replace(good, `"label"`, `"LABEL"`, 1),
		`{"nodes": [ {"id": }`, `{}`, `{"nodes": [], "relationships": []}`, `{"nodes": null}`, `{"nodes": {}}`, `[]`, `null`, `""`, ``, `{`, `{"nodes": [null, {}]}`,
		`{"nodes": [], "nodes": [{"id": "a"}]}`, `{"colour": []}`, `{"nodes": [{"id": "a", "colour": "red"}]}`, `{"nodes": [{"order": 1e400}]}`,
		`{"nodes": [{"order": 99999999999999999999}]}`, `{"nodes": [{"order": -1.5}]}`, `{"nodes": [{"id": 7}]}`, `{"nodes": [{"name": "\u0e01\ud800"}]}`,
		"{\"nodes\": [{\"name\": \"\xff\xfe\"}]}", `{"nodes": [{"name": "a\"b\\c"}]}`, `{"relationships": [{"type": "SUPPORTS", "from": "a", "to": "b"}, {"type": "SUPPORTS", "from": "a", "to": "b"}]}`,
		`{"nodes": [{"start": {"date": "2007", "precision": "DAY"}}]}`, `{"nodes":[{}],` + "\n" + `"relationships":[{},` + "\n\n" + `{}]}`, `{"nodes": [[[[[[[[[[]]]]]]]]]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, lines, problems := domain.ParseBundleJSON(data)
		if len(problems) > 0 {
			p := problems[0]
			if b != nil || len(problems) != 1 || p.Record != "bundle" || p.Field != "" || len(p.Reason) <= len("not a bundle: ") || !strings.HasPrefix(p.Reason, "not a bundle: ") {
				t.Fatalf("ParseBundleJSON(%q) = %v, %+v: want one \"not a bundle\" problem", data, b, problems)
			}
			if p.Line < 1 || p.Line > lineCount(data) {
				t.Fatalf("ParseBundleJSON(%q): problem on line %d of %d", data, p.Line, lineCount(data))
			}
			return
		}
		if b == nil {
			t.Fatalf("ParseBundleJSON(%q) returned neither a bundle nor a problem", data)
		}
		if !json.Valid(data) {
			t.Fatalf("ParseBundleJSON(%q) read a bundle from invalid JSON", data)
		}
		want, keys := jsonRecordLines(data)
		if fmt.Sprint(lines.Nodes) != fmt.Sprint(want["nodes"]) || fmt.Sprint(lines.Rels) != fmt.Sprint(want["relationships"]) ||
			len(lines.Nodes) != len(b.Nodes) || len(lines.Rels) != len(b.Relationships) {
			t.Fatalf("ParseBundleJSON(%q): lines %v %v for %d nodes and %d relationships, want %v %v",
				data, lines.Nodes, lines.Rels, len(b.Nodes), len(b.Relationships), want["nodes"], want["relationships"])
		}
		got := canonical(t, b)
		if keys["nodes"] <= 1 && keys["relationships"] <= 1 {
			// encoding/json reads the same bundle (it keeps only the last of
			// a repeated key, where ParseBundleJSON appends)
			var std domain.Bundle
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&std); err != nil {
				t.Fatalf("ParseBundleJSON(%q) read a bundle encoding/json refuses: %v", data, err)
			}
			if s := canonical(t, &std); !bytes.Equal(s, got) {
				t.Fatalf("ParseBundleJSON(%q) = %s, encoding/json reads %s", data, got, s)
			}
		}
		// as the bundle export writes it (an empty list is null)
		plain, err := json.MarshalIndent(b, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		again, lines2, problems2 := domain.ParseBundleJSON(plain)
		if len(problems2) > 0 || len(lines2.Nodes) != len(b.Nodes) || len(lines2.Rels) != len(b.Relationships) {
			t.Fatalf("ParseBundleJSON(%q) = %s, which does not parse back: %+v", data, plain, problems2)
		}
		if s := canonical(t, again); !bytes.Equal(s, got) {
			t.Fatalf("ParseBundleJSON(%q) = %s, which parses back as %s", data, got, s)
		}
		checkProblems(t, b, lines)
	})
}

var (
	nodeCSVColumns = []string{"id", "type", "name", "nameEn", "kind", "aliases", "description", "descriptionEn", "code", "start", "end", "evidenceQuote", "evidenceSource", "evidenceLocator"}
	edgeCSVColumns = []string{"id", "source", "target", "type", "role", "roleTh", "description", "start", "end", "evidenceQuote", "evidenceSource", "evidenceLocator"}
)

// writeCSV writes a bundle as the CSV import reads it, dates in the words
// they were read from.
func writeCSV(t testing.TB, b *domain.Bundle) (nodes, edges string) {
	t.Helper()
	date := func(d *domain.PartialDate) string {
		switch {
		case d == nil:
			return ""
		case d.Text != "":
			return d.Text
		}
		return d.Date
	}
	evidence := func(evs []domain.Evidence) []string {
		if len(evs) == 0 {
			return []string{"", "", ""}
		}
		return []string{evs[0].Quote, evs[0].Source, evs[0].Locator}
	}
	write := func(header []string, rows [][]string) string {
		var sb strings.Builder
		w := csv.NewWriter(&sb)
		_ = w.Write(header)
		_ = w.WriteAll(rows)
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		return sb.String()
	}
	var rows [][]string
	for _, n := range b.Nodes {
		rows = append(rows, append([]string{n.ID, n.Label, n.Name, n.NameEn, n.Kind, strings.Join(n.Aliases, "|"), n.Description, n.DescriptionEn, n.Code,
			date(n.Start), date(n.End)}, evidence(n.Evidence)...))
	}
	nodes = write(nodeCSVColumns, rows)
	rows = nil
	for _, r := range b.Relationships {
		rows = append(rows, append([]string{r.ID, r.From, r.To, r.Type, r.Role, r.RoleTh, r.Description, date(r.Start), date(r.End)}, evidence(r.Evidence)...))
	}
	return nodes, write(edgeCSVColumns, rows)
}

// checkCSVProblems checks the problems of one CSV file: each names the
// file, has a reason, and stands on a line of the file (the header's for a
// header problem, the row's, as its record says, for a row's).
func checkCSVProblems(t *testing.T, file, text string, problems []domain.Problem) {
	t.Helper()
	for _, p := range problems {
		if p.Record != file && !strings.HasPrefix(p.Record, file+" line ") {
			continue
		}
		if strings.TrimSpace(text) == "" {
			t.Fatalf("%s is empty but has the problem %+v", file, p)
		}
		if strings.TrimSpace(p.Reason) == "" || p.Line < 1 || p.Line > lineCount(text) {
			t.Fatalf("%s (%d lines): problem %+v without a reason or off the file", file, lineCount(text), p)
		}
		if rest, ok := strings.CutPrefix(p.Record, file+" line "); ok && (rest != strconv.Itoa(p.Line) || p.Line < 2) {
			t.Fatalf("%s: problem %+v is not on its row's line", file, p)
		}
	}
}

// checkRowLines checks the lines of the rows read from one CSV file: after
// the header, in order, within the file.
func checkRowLines(t *testing.T, file, text string, lines []int) {
	t.Helper()
	prev := 1
	for _, l := range lines {
		if l <= prev || l > lineCount(text) {
			t.Fatalf("%s (%d lines): rows on lines %v", file, lineCount(text), lines)
		}
		prev = l
	}
}

// FuzzParseCSV checks ParseCSV: whatever the files hold it returns a
// bundle with a line for each record, in order and within its file; each
// problem names its file, a reason and a line of the file; the dates read
// are valid ISO dates; the bundle's Problems agree with Validate; and a
// bundle read without problems, written back as CSV, reads as itself.
func FuzzParseCSV(f *testing.F) {
	header := strings.Join(nodeCSVColumns, ",") + "\n"
	edgeHeader := strings.Join(edgeCSVColumns, ",") + "\n"
	curated := "id,type,name,nameEn,kind,aliases,start,evidenceQuote,evidenceSource\n" +
		"csv-forum,Event,เวทีสวัสดิการ,Welfare forum,FORUM,เวที|Forum,4 ก.พ. 2550,เวทีสวัสดิการการชุมชนคนไม่ทิ้งกัน,gotoknow-85545\n" +
		"csv-bad,Event,เวที,,FORUM,,31 ก.พ. 2550,x,gotoknow-85545\n"
	edges := "source,target,type,role,roleTh,evidenceQuote,evidenceSource\ncodi,csv-forum,PARTICIPATES_IN,SUPPORT_PARTNER,ภาคีสนับสนุน,โดยการสนับสนุนของพอช.,gotoknow-85545\n"
	row := "codi,Agency,สถาบันพัฒนาองค์กรชุมชน,Community Organizations Development Institute,PUBLIC_ORGANIZATION,พอช.|CODI,,,,2543,,พอช.,src,p. 1\n"
	sn, se := writeCSV(f, seedSample(f, 6, 6))
	for _, s := range [][2]string{
		{curated, edges}, {strings.Replace(curated, "31 ก.พ.", "5 ก.พ.", 1), edges}, {sn, se}, {curated, ""}, {"", edges}, {"", ""}, {" \n\t", "\r\n"},
		{"\ufeff" + curated, "\ufeff" + edges}, {strings.ReplaceAll(curated, "\n", "\r\n"), strings.ReplaceAll(edges, "\n", "\r\n")},
		{header + row, edgeHeader + ",codi,net,SECRETARIAT_OF,,,,พ.ศ. 2550,ธ.ค. 2551,q,src,\n"},
		{header + `"codi","Agency","ชื่อ ""ในวงเล็บ""","a,b",UNIT,"x|y|","หลาย` + "\n" + `บรรทัด",,,๑๑ เมษายน ๒๕๕๐,,q,src,` + "\n", ""},
		{header + `a"b,Agency,x` + "\n" + row, ""}, {header + `"a"b,Agency,x` + "\n" + row, ""}, {header + `"unterminated,Agency` + "\n" + row, ""},
		{header + "\n\n" + row + "\n", ""}, {header + "x\n" + row + strings.Repeat(",", 40) + "\n", ""}, {"id,type,name\n" + row, ""},
		{"name,type,id,nameEn\n" + row, "source,target\n"}, {header + "99999999999999999999999,Agency,x,,UNIT,,,,,99999,-1,q,src,\n", ""},
		{header + "codi,Agency,x,,UNIT,,,,,2007-02-30,,q,src,\n", ""}, {header + "codi,Agency,x,,UNIT,,,,,2550,2549,q,src,\n", ""},
		{header + "\xff\xfe,Agency,\x00,,UNIT,,,,,,,,,\n", ""}, {"\"", "\""}, {"id,type,name,nameEn\n\"", ""}, {header + row + "\"", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, nodes, edges string) {
		b, lines, problems := domain.ParseCSV(nodes, edges)
		if b == nil || len(lines.Nodes) != len(b.Nodes) || len(lines.Rels) != len(b.Relationships) {
			t.Fatalf("ParseCSV(%q, %q) = %v with lines %v %v", nodes, edges, b, lines.Nodes, lines.Rels)
		}
		for _, p := range problems {
			if !strings.HasPrefix(p.Record, "nodes.csv") && !strings.HasPrefix(p.Record, "edges.csv") {
				t.Fatalf("ParseCSV(%q, %q): problem %+v names no file", nodes, edges, p)
			}
		}
		checkCSVProblems(t, "nodes.csv", nodes, problems)
		checkCSVProblems(t, "edges.csv", edges, problems)
		checkRowLines(t, "nodes.csv", nodes, lines.Nodes)
		checkRowLines(t, "edges.csv", edges, lines.Rels)
		dates := func(ds ...*domain.PartialDate) {
			for _, d := range ds {
				if d == nil {
					continue
				}
				if p, err := domain.ValidateISODate("date", d.Date); err != nil || p != d.Precision {
					t.Fatalf("ParseCSV(%q, %q): date %+v (%v)", nodes, edges, d, err)
				}
			}
		}
		for _, n := range b.Nodes {
			dates(n.Start, n.End)
		}
		for _, r := range b.Relationships {
			dates(r.Start, r.End)
		}
		checkProblems(t, b, lines)
		if len(problems) > 0 {
			return
		}
		n2, e2 := writeCSV(t, b)
		again, lines2, problems2 := domain.ParseCSV(n2, e2)
		if len(problems2) > 0 || len(lines2.Nodes) != len(b.Nodes) || len(lines2.Rels) != len(b.Relationships) {
			t.Fatalf("ParseCSV(%q, %q) wrote back as %q, %q reads with problems %+v", nodes, edges, n2, e2, problems2)
		}
		if got, want := canonical(t, again), canonical(t, b); !bytes.Equal(got, want) {
			t.Fatalf("ParseCSV(%q, %q) = %s, but written back it reads %s", nodes, edges, want, got)
		}
	})
}
