package analyze

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// chosen lists "text=chosen" for each mention, in order.
func chosen(a *Analysis) []string {
	var out []string
	for _, m := range a.Mentions {
		out = append(out, m.Text+"="+m.Chosen)
	}
	return out
}

func analyse(t *testing.T, ix *Index, in Input) *Analysis {
	t.Helper()
	a, err := ix.Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestMentions(t *testing.T) {
	ix, _ := seedIndex(t)
	cases := []struct{ name, text, want string }{
		{"Ensure abbreviations are found with and without their dots",
			"พอช ร่วมกับ พอช. และธกส. กับ ธ.ก.ส. ไปที่ มสธ",
			"พอช=codi พอช.=codi ธกส.=baac ธ.ก.ส.=baac มสธ=stou"},
		{"Ensure names are found without spaces between words, with Thai digits and ฯ",
			"ทีมงานของสถาบันพัฒนาองค์กรชุมชนไปที่กรุงเทพฯกับสัจจะลดรายจ่ายวันละ๑บาท",
			"สถาบันพัฒนาองค์กรชุมชน=codi กรุงเทพฯ=province-TH-10 สัจจะลดรายจ่ายวันละ๑บาท=sajja-one-baht"},
		{"Ensure a zero-width space or a line break inside a name does not hide it",
			"ขอบคุณสถาบัน\u200bพัฒนาองค์กรชุมชน และกระทรวงการพัฒนาสังคม\nและความมั่นคงของมนุษย์",
			"สถาบัน\u200bพัฒนาองค์กรชุมชน=codi กระทรวงการพัฒนาสังคม\nและความมั่นคงของมนุษย์=msdhs"},
		{"Ensure a short alias does not match inside a longer word",
			"ผอมลงมากเพราะไปพม่า แต่ผอ.ยังอยู่กับพม.",
			"ผอ.=codi-director พม.=msdhs"},
		{"Ensure a loanword spelt with other tone marks is found",
			"สมาชิกเครดิตยูเนียนมาร่วมเวที",
			"เครดิตยูเนียน=credit-unions"},
		{"Ensure a province that is an everyday word counts only after a word that leads to a place",
			"ไม่มีตั๋วเลย ก็เลยไปจังหวัดเลย",
			"จังหวัดเลย=province-TH-42"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := analyse(t, ix, Input{Text: c.text})
			if got := strings.Join(chosen(a), " "); got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
			for _, m := range a.Mentions {
				if !strings.Contains(c.text, m.Quote) || []rune(c.text)[m.Start] != []rune(m.Text)[0] {
					t.Fatalf("quote %q or span %v is not the text's", m.Quote, m.Span)
				}
			}
		})
	}
}

func TestAmbiguousPlaces(t *testing.T) {
	ix, _ := seedIndex(t)
	cases := []struct {
		name, text, want string
		n                int
	}{
		{"Ensure the region written nearby picks the western Nong Sarai",
			"ขบวนภาคตะวันตกประชุมที่ตำบลหนองสาหร่าย", "subdistrict-710911", 3},
		{"Ensure the district and province of the address leave the Nakhon Ratchasima one alone",
			"ประชุมที่ ต.หนองสาหร่าย อ.ปากช่อง จ.นครราชสีมา", "subdistrict-302106", 1},
		{"Ensure a province named elsewhere in the text picks the Suphan Buri one",
			"ชาวสุพรรณบุรีจัดงานที่ตำบลหนองสาหร่าย", "subdistrict-720602", 3},
		{"Ensure without context the three Nong Sarai are left for an editor",
			"ประชุมที่ตำบลหนองสาหร่าย", "", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := analyse(t, ix, Input{Text: c.text})
			for _, m := range a.Mentions {
				if strings.Contains(m.Text, "หนองสาหร่าย") {
					if m.Chosen != c.want || len(m.Candidates) != c.n || !m.Address {
						t.Fatalf("chose %q of %d (%s)", m.Chosen, len(m.Candidates), m.Reason)
					}
					return
				}
			}
			t.Fatalf("no mention of หนองสาหร่าย: %v", chosen(a))
		})
	}
	t.Run("Ensure a district the graph lacks is proposed with its code, part of its province", func(t *testing.T) {
		a := analyse(t, ix, Input{Text: "ประชุมที่ ต.หนองสาหร่าย อ.ปากช่อง จ.นครราชสีมา"})
		var ids []string
		for _, n := range a.Draft.Nodes {
			if n.Label == "District" || n.Label == "Subdistrict" {
				ids = append(ids, n.ID+":"+n.Code+":"+n.Name)
			}
		}
		if strings.Join(ids, " ") != "subdistrict-302106:302106:หนองสาหร่าย district-3021:3021:ปากช่อง" {
			t.Fatalf("new places = %v", ids)
		}
		parts := map[string]string{}
		for _, r := range a.Draft.Relationships {
			if r.Type == "PART_OF" {
				parts[r.From] = r.To
			}
		}
		if parts["subdistrict-302106"] != "district-3021" || parts["district-3021"] != "province-TH-30" {
			t.Fatalf("PART_OF = %v", parts)
		}
	})
}

func TestAmbiguousActorsByNeighbourhood(t *testing.T) {
	b := &domain.Bundle{Nodes: []domain.NodeRecord{
		{ID: "codi", Label: "Agency", Kind: "PUBLIC_ORGANIZATION", Name: "สถาบันพัฒนาองค์กรชุมชน", Aliases: []string{"พอช."}},
		{ID: "baac", Label: "Agency", Kind: "STATE_BANK", Name: "ธกส.", Aliases: []string{"ธ.ก.ส."}},
		{ID: "somchai-codi", Label: "Person", Name: "สมชาย"},
		{ID: "somchai-baac", Label: "Person", Name: "สมชาย"},
	}, Relationships: []domain.RelRecord{
		{Type: "WORKS_FOR", From: "somchai-codi", To: "codi"},
		{Type: "WORKS_FOR", From: "somchai-baac", To: "baac"},
	}}
	ix := NewIndex(b)
	for text, want := range map[string]string{
		"พอช.ส่งสมชายมาร่วมประชุม":    "somchai-codi",
		"ธ.ก.ส. ให้สมชายมาร่วมประชุม": "somchai-baac",
		"สมชายมาร่วมประชุม":           "",
	} {
		a := analyse(t, ix, Input{Text: text})
		for _, m := range a.Mentions {
			if m.Text == "สมชาย" && (m.Chosen != want || len(m.Candidates) != 2) {
				t.Errorf("%s: chose %q (%s)", text, m.Chosen, m.Reason)
			}
		}
	}
	t.Run("Ensure a node applied to the index is found, and one removed is not", func(t *testing.T) {
		ix.Apply(&domain.Bundle{Nodes: []domain.NodeRecord{{ID: "new-coop", Label: "Agency", Kind: "OTHER", Name: "สหกรณ์ออมทรัพย์บ้านใหม่"}}}, nil)
		if got := chosen(analyse(t, ix, Input{Text: "สหกรณ์ออมทรัพย์บ้านใหม่จัดประชุม"})); strings.Join(got, " ") != "สหกรณ์ออมทรัพย์บ้านใหม่=new-coop" {
			t.Fatalf("after Apply: %v", got)
		}
		ix.Apply(&domain.Bundle{}, []string{"new-coop"})
		if got := chosen(analyse(t, ix, Input{Text: "สหกรณ์ออมทรัพย์บ้านใหม่จัดประชุม"})); len(got) != 0 {
			t.Fatalf("after removal: %v", got)
		}
	})
}

func TestDates(t *testing.T) {
	ix, _ := seedIndex(t)
	text := "เวทีเมื่อ 4-5 กุมภาพันธ์ 2550 และ 30 เม.ย. - 2 พ.ค. 2550 ต่อด้วย 21-22 มี.ค. กับ 30-31 มค และ 5 ม.ค. ค.ศ. 2008"
	a := analyse(t, ix, Input{Text: text, Date: "22 มีนาคม 2007"})
	var got []string
	for _, d := range a.Dates {
		s := d.Text + "=" + d.Start.Date
		if d.End != nil {
			s += "/" + d.End.Date
		}
		if d.Inferred {
			s += "(inferred)"
		}
		got = append(got, s)
	}
	want := "4-5 กุมภาพันธ์ 2550=2007-02-04/2007-02-05 30 เม.ย. - 2 พ.ค. 2550=2007-04-30/2007-05-02 21-22 มี.ค.=2007-03-21/2007-03-22(inferred) 30-31 มค=2007-01-30/2007-01-31(inferred) 5 ม.ค. ค.ศ. 2008=2008-01-05"
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if n := a.Dates[2].Start.Note; !strings.Contains(n, "inferred") || !a.Dates[2].Start.Inferred {
		t.Fatalf("inferred date = %+v", a.Dates[2].Start)
	}
}

func TestSeedDocumentSources(t *testing.T) {
	ix, _ := seedIndex(t)
	text := seedText(t)
	a := analyse(t, ix, Input{Text: text})
	// the editorial boundaries of seed/SOURCES.md
	want := []struct{ id, from, to string }{
		{"gotoknow-85545", "เสวนาสร้างทีม", "การทำงานร่วมกันของนักปฏิบัติการและนักวิชาการ"},
		{"gotoknow-85545-c1", "เป็นโครงการที่น่าสนใจมากค่ะ", "จะเดินทางลำบาก"},
		{"gotoknow-85545-c2", "วันที่3เมษายนพี่มีรายการ", "ค่อนข้างรู้เรื่องนี้ดีมากคนหนึ่ง"},
		{"gotoknow-85545-c3", "ตั้งใจว่าจะไปร่วมประชุมด้วย", "ทั้งไปและกลับ"},
		{"gotoknow-85545-c4", "พี่ซื้อไว้แต่เนิ่นๆ", "ขึ้นวันที่10"},
		{"gotoknow-85545-c5", "ที่จริงเที่ยวขึ้นน่าจะพอหาตั๋วได้", "ด้วยกันซีครับ"},
	}
	if len(a.Sources) != len(want) {
		t.Fatalf("%d sources", len(a.Sources))
	}
	rs := []rune(text)
	for i, w := range want {
		s := a.Sources[i]
		body := string(rs[s.Start:s.End])
		if s.ID != w.id || !strings.HasPrefix(body, w.from) || !strings.HasSuffix(body, w.to) || !s.Existing {
			t.Errorf("source %d = %s %q…%q", i, s.ID, string(rs[s.Start:s.Start+10]), string(rs[s.End-10:s.End]))
		}
	}
	if d := a.Sources[0].Date; d == nil || d.Date != "2007-03-22" {
		t.Errorf("post date = %+v", d)
	}
	if len(a.Notes) != 0 {
		t.Errorf("notes = %v", a.Notes)
	}
	// the sources exist: the draft cites them and does not write them
	for _, n := range a.Draft.Nodes {
		if strings.HasPrefix(n.ID, "gotoknow-") {
			t.Errorf("the draft rewrites source %s", n.ID)
		}
	}
	if err := a.Draft.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestProposals(t *testing.T) {
	ix, _ := seedIndex(t)
	text := "วันที่ 5 มิถุนายน 2551 มูลนิธิรักษ์บ้านเกิดอีสาน โดยนายสมชาย ใจดี และกลุ่มออมทรัพย์บ้านโนนสูงได้จัดประชุมเครือข่ายกองทุนสวัสดิการ พี่ซื้อตั๋วแล้ว พี่มิบก็มา"
	a := analyse(t, ix, Input{Text: text})
	var got []string
	for _, p := range a.Proposals {
		got = append(got, p.Label+"/"+p.Kind+":"+p.Name)
	}
	want := "Agency/FOUNDATION:มูลนิธิรักษ์บ้านเกิดอีสาน Person/:นายสมชาย ใจดี Network/SAVINGS_GROUPS:กลุ่มออมทรัพย์บ้านโนนสูง Network/NETWORK:เครือข่ายกองทุนสวัสดิการ Event/MEETING:ประชุมเครือข่ายกองทุนสวัสดิการ"
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if err := a.Draft.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, n := range a.Draft.Nodes {
		if !strings.HasPrefix(n.ID, "doc-") && (len(n.Evidence) == 0 || !strings.Contains(n.Evidence[0].Note, "inferred")) {
			t.Errorf("%s has no inferred note: %+v", n.ID, n.Evidence)
		}
		// a proposed node is a guess: INFERRED, its basis the guess
		if !strings.HasPrefix(n.ID, "doc-") && (n.Status != domain.StatusInferred || n.Basis == "" || !strings.Contains(n.Evidence[0].Note, n.Basis)) {
			t.Errorf("%s: status %q, basis %q", n.ID, n.Status, n.Basis)
		}
	}
	// the mentions of names found as written are STATED, with no basis
	stated := 0
	for _, r := range a.Draft.Relationships {
		if r.Status == domain.StatusStated && r.Basis == "" {
			stated++
		} else if r.Status != domain.StatusInferred || r.Basis == "" {
			t.Errorf("%s: status %q, basis %q", r.ID, r.Status, r.Basis)
		}
	}
	if stated == 0 {
		t.Error("no stated relationship in the draft")
	}
}

func TestBadInput(t *testing.T) {
	ix, _ := seedIndex(t)
	for name, text := range map[string]string{"empty": "", "blank": " \n", "too long": strings.Repeat("ก", MaxText/3+1), "invalid UTF-8": "\xff\xfeไทย"} {
		_, err := ix.Analyze(Input{Text: text})
		var de *domain.Error
		if !asError(err, &de) || de.Code != domain.EINVALID || de.Field != "text" {
			t.Errorf("%s: %v", name, err)
		}
	}
	a, err := ix.Analyze(Input{Text: "CODI and BAAC, in English only."})
	if err != nil || len(a.Mentions)+len(a.Sources)+len(a.Draft.Nodes) != 0 || len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "no Thai") {
		t.Fatalf("no Thai: %+v %v", a, err)
	}
}
