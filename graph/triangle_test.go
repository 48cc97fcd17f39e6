package graph_test

import (
	"fmt"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestTriangle asks the seed graph who drives each side of the triangle
// and who bridges them.
func TestTriangle(t *testing.T) {
	testkit.ResetToSeed(t) // the answers below are the seed graph's
	ts := graph.NewTestServer(t)

	t.Run("Ensure the triangle names who drives each side", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ triangle { side { id } advancers { actor { id } direct via { id } } } bridges(maxHops: 2) { actor { id } sideCount totalDistance sides { side { id } distance } } }`, nil))
		// "actor direct/via": who advances each side directly, and who
		// through a program it runs, leads or funds (the TRF funds the
		// research platform the KM unit runs).
		drivers := map[string][]string{}
		for _, s := range testkit.Dig(data, "triangle").([]any) {
			side := testkit.Dig(s, "side", "id").(string)
			for _, a := range testkit.Dig(s, "advancers").([]any) {
				d := testkit.Dig(a, "actor", "id").(string)
				if testkit.Dig(a, "direct") == true {
					d += " direct"
				}
				for _, p := range testkit.Dig(a, "via").([]any) {
					d += " via " + testkit.Dig(p, "id").(string)
				}
				drivers[side] = append(drivers[side], d)
			}
		}
		want := map[string][]string{
			// "ภาคการเมืองมีกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์โดยท่านรัฐมนตรี"
			"side-politics": {"msdhs direct", "msdhs-minister direct"},
			// "แนวคิดในการดำเนินงานของพอช. ... ให้ขบวนองค์กรชุมชนเป็นแกนกลาง"
			"side-social-process": {"codi direct", "community-org-movement direct"},
			// the unit "ขับเคลื่อนเหลี่ยมจัดการความรู้", the academic partners, the platform's funder
			"side-knowledge": {"wu-km-unit direct via research-coordination-platform", "academic-km-network direct", "trf via research-coordination-platform"},
		}
		if len(drivers) != len(want) {
			t.Errorf("triangle sides = %v", drivers)
		}
		for side, w := range want {
			testkit.WantIDSet(t, "drivers of "+side, drivers[side], w...)
		}
		// Within two hops (networkx over the seed files agrees): the KM unit
		// and CODI reach all three sides, since the unit invites CODI and
		// the MSDHS (ties.yaml): CODI reaches knowledge through the unit,
		// the unit politics through the MSDHS and the social process
		// through CODI. The Minister founded CODI
		// ("ผู้บุกเบิกจัดตั้งสำคัญก็คือท่านรัฐมนตรี"), so he reaches its side
		// in one more hop; the MSDHS reaches knowledge through the unit that
		// invites it, and the CDD too, and the social process through the
		// movement it supports. Ties go by Thai name (สถาบัน… before
		// หน่วย…, กระทรวง… before ท่านรัฐมนตรี).
		var bridges []string
		for _, b := range testkit.Dig(data, "bridges").([]any) {
			d := fmt.Sprintf("%v %v/%v:", testkit.Dig(b, "actor", "id"), testkit.Dig(b, "sideCount"), testkit.Dig(b, "totalDistance"))
			for _, s := range testkit.Dig(b, "sides").([]any) {
				d += fmt.Sprintf(" %v=%v", testkit.Dig(s, "side", "id"), testkit.Dig(s, "distance"))
			}
			bridges = append(bridges, d)
		}
		testkit.WantIDList(t, "bridges within 2 hops", bridges,
			"codi 3/5: side-knowledge=2 side-politics=2 side-social-process=1",
			"wu-km-unit 3/5: side-knowledge=1 side-politics=2 side-social-process=2",
			"msdhs 2/3: side-knowledge=2 side-politics=1",
			"msdhs-minister 2/3: side-politics=1 side-social-process=2",
			"cdd 2/4: side-knowledge=2 side-social-process=2")
	})

}
