package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// A GotoKnow page written for this test: a post naming known actors, a
// place by its address that the graph lacks, a dated meeting, a new
// foundation and a new person, and two comments.
const analyzePage = `เวทีเครือข่ายสวัสดิการชุมชนภาคอีสาน

วันที่ 5 มิถุนายน 2551 สถาบันพัฒนาองค์กรชุมชน (พอช.) และ ธ.ก.ส. จะจัดประชุมเครือข่ายกองทุนสวัสดิการ ณ ตำบลหนองสาหร่าย อำเภอปากช่อง จังหวัดนครราชสีมา
มูลนิธิรักษ์บ้านเกิดอีสาน โดยนายสมชาย ใจดี เป็นผู้ประสานงาน

หมายเลขบันทึก: 99001เขียนเมื่อ 20 พฤษภาคม 2008 09:15 น. ()

ความเห็น (2)
        ขอบคุณค่ะ จะไปร่วมด้วยกับพอช ภาคใต้

พี่มิบฝากบอกว่าจะไปด้วยครับ
`

const analyzeQuery = `query($t: String!) { analyzeDocument(text: $t) {
  sources { id kind part existing date { iso } }
  mentions { text chosen source address candidates { id new code } }
  dates { text start { iso } inferred }
  proposals { id label kind name }
  notes draft draftNodes draftRelationships } }`

const importMutation = `mutation($b: String!, $dry: Boolean) { importBundle(bundle: $b, dryRun: $dry) { ok nodesCreated nodesUpdated nodesUnchanged relationshipsCreated relationshipsUnchanged problems { line field reason } } }`

func TestAnalyzeDocument(t *testing.T) {
	testkit.ResetToSeed(t)
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))

	t.Run("Ensure a GotoKnow page is split, its names found, and its draft imports once", func(t *testing.T) {
		_, resp := testkit.Post(t, ts.URL, "", analyzeQuery, map[string]any{"t": analyzePage})
		a := testkit.Dig(testkit.MustData(t, resp), "analyzeDocument")
		var ids []string
		for _, s := range testkit.Dig(a, "sources").([]any) {
			ids = append(ids, testkit.Dig(s, "id").(string))
		}
		if strings.Join(ids, ",") != "gotoknow-99001,gotoknow-99001-c1,gotoknow-99001-c2" {
			t.Fatalf("sources = %v", ids)
		}
		if d := testkit.Dig(a, "sources", 0, "date", "iso"); d != "2008-05-20" {
			t.Fatalf("post date = %v", d)
		}
		chosen := map[string]string{}
		for _, m := range testkit.Dig(a, "mentions").([]any) {
			c, _ := testkit.Dig(m, "chosen").(string)
			chosen[testkit.Dig(m, "source").(string)+" "+testkit.Dig(m, "text").(string)] = c
		}
		want := map[string]string{
			"gotoknow-99001 สถาบันพัฒนาองค์กรชุมชน": "codi",
			"gotoknow-99001 พอช.":              "codi",
			"gotoknow-99001 ธ.ก.ส.":            "baac",
			"gotoknow-99001 ตำบลหนองสาหร่าย":   "subdistrict-302106",
			"gotoknow-99001 อำเภอปากช่อง":      "district-3021",
			"gotoknow-99001 จังหวัดนครราชสีมา": "province-TH-30",
			"gotoknow-99001-c1 พอช ภาคใต้":     "codi-south",
			"gotoknow-99001-c2 พี่มิบ":         "mib",
		}
		for k, v := range want {
			if got, ok := chosen[k]; !ok || got != v && v != "" {
				t.Errorf("mention %q chose %q (present %v), want %q; all %v", k, got, ok, v, chosen)
			}
		}
		names := map[string]string{}
		for _, p := range testkit.Dig(a, "proposals").([]any) {
			names[testkit.Dig(p, "name").(string)] = testkit.Dig(p, "label").(string)
		}
		for n, l := range map[string]string{"มูลนิธิรักษ์บ้านเกิดอีสาน": "Agency", "นายสมชาย ใจดี": "Person", "ประชุมเครือข่ายกองทุนสวัสดิการ": "Event"} {
			if names[n] != l {
				t.Errorf("proposal %q = %q, want %q; all %v", n, names[n], l, names)
			}
		}
		draft := testkit.Dig(a, "draft").(string)
		var probe map[string]any
		if err := json.Unmarshal([]byte(draft), &probe); err != nil {
			t.Fatal(err)
		}
		nodes := testkit.Dig(a, "draftNodes").(float64)
		rels := testkit.Dig(a, "draftRelationships").(float64)

		_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, importMutation, map[string]any{"b": draft, "dry": true})
		rep := testkit.Dig(testkit.MustData(t, resp), "importBundle")
		if testkit.Dig(rep, "ok") != true || testkit.Dig(rep, "nodesCreated") != nodes {
			t.Fatalf("dry run = %v (draft has %v nodes)", rep, nodes)
		}
		_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, importMutation, map[string]any{"b": draft})
		rep = testkit.Dig(testkit.MustData(t, resp), "importBundle")
		if testkit.Dig(rep, "ok") != true || testkit.Dig(rep, "nodesCreated") != nodes || testkit.Dig(rep, "relationshipsCreated") != rels {
			t.Fatalf("import = %v (draft %v nodes, %v relationships)", rep, nodes, rels)
		}
		_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, importMutation, map[string]any{"b": draft})
		rep = testkit.Dig(testkit.MustData(t, resp), "importBundle")
		if testkit.Dig(rep, "nodesCreated") != float64(0) || testkit.Dig(rep, "nodesUpdated") != float64(0) || testkit.Dig(rep, "relationshipsCreated") != float64(0) || testkit.Dig(rep, "nodesUnchanged") != nodes {
			t.Fatalf("second import = %v", rep)
		}
	})

	t.Run("Ensure a node created a moment ago is found in the next analysis", func(t *testing.T) {
		create := `mutation { createNode(input: {id: "analyze-fresh-coop", label: "Agency", kind: "OTHER", name: "สหกรณ์ออมทรัพย์บ้านทดสอบวิเคราะห์",
			evidence: [{source: "gotoknow-85545", quote: "สหกรณ์"}]}) { id } }`
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, create, nil)
		testkit.MustData(t, resp)
		text := "เมื่อวานสหกรณ์ออมทรัพย์บ้านทดสอบวิเคราะห์ได้ประชุมกัน"
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, resp = testkit.Post(t, ts.URL, "", analyzeQuery, map[string]any{"t": text})
			if c := testkit.Dig(testkit.MustData(t, resp), "analyzeDocument", "mentions", 0, "chosen"); c == "analyze-fresh-coop" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the new node is not found: %v", resp)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("Ensure empty and oversized text is refused naming text (invalid UTF-8 cannot arrive in JSON: analyze tests it), and a text with no Thai says why", func(t *testing.T) {
		for _, text := range []string{"", "   ", strings.Repeat("ก", 1<<20/3+1)} {
			_, resp := testkit.Post(t, ts.URL, "", analyzeQuery, map[string]any{"t": text})
			if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || !strings.Contains(testkit.Dig(resp, "errors", 0, "message").(string), "text") {
				t.Errorf("text of %d bytes: %v", len(text), testkit.Dig(resp, "errors"))
			}
		}
		_, resp := testkit.Post(t, ts.URL, "", analyzeQuery, map[string]any{"t": "Only English here, CODI and BAAC."})
		a := testkit.Dig(testkit.MustData(t, resp), "analyzeDocument")
		if len(testkit.Dig(a, "mentions").([]any)) != 0 || !strings.Contains(testkit.Dig(a, "notes", 0).(string), "no Thai") {
			t.Fatalf("analysis = %v", a)
		}
	})
}
