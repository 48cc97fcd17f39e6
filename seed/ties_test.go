package seed_test

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
)

// tiesFile is seed/ties.yaml as parsed alone.
func tiesFile(t *testing.T) *domain.Bundle {
	t.Helper()
	for _, f := range seed.Files {
		if f.Name == "ties.yaml" {
			b, err := seed.Parse(f.Name, f.Data)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatal("ties.yaml is not among seed.Files")
	return nil
}

func TestTies(t *testing.T) {
	b := mustBundle(t)
	nodes := map[string]*domain.NodeRecord{}
	for i := range b.Nodes {
		nodes[b.Nodes[i].ID] = &b.Nodes[i]
	}
	isActor := func(id string) bool {
		n := nodes[id]
		return n != nil && (n.Label == domain.LabelAgency || n.Label == domain.LabelNetwork || n.Label == domain.LabelPerson)
	}
	isPerson := func(id string) bool { return nodes[id] != nil && nodes[id].Label == domain.LabelPerson }
	isComment := func(id string) bool {
		return nodes[id] != nil && nodes[id].Label == domain.LabelSource && nodes[id].Kind == "COMMENT"
	}

	t.Run("Ensure ties.yaml loads after graph.yaml, whose nodes it names", func(t *testing.T) {
		order := map[string]int{}
		for i, f := range seed.Files {
			order[f.Name] = i
		}
		if order["ties.yaml"] <= order["graph.yaml"] {
			t.Fatalf("load order %v", order)
		}
	})

	t.Run("Ensure each new tie joins the kinds of node its type is for", func(t *testing.T) {
		seen := map[string]int{}
		for _, r := range b.Relationships {
			ok := true
			switch r.Type {
			case domain.RelInvited, domain.RelPossiblySameAs:
				ok = isActor(r.From) && isActor(r.To)
			case domain.RelSends:
				ok = isActor(r.From) && isPerson(r.To)
			case domain.RelStandsInFor, domain.RelAddresses:
				ok = isPerson(r.From) && isPerson(r.To)
			case domain.RelRepliesTo:
				// a later comment answers an earlier one: ids end in -cN
				ok = isComment(r.From) && isComment(r.To) && r.From > r.To
			default:
				continue
			}
			seen[r.Type]++
			if !ok {
				t.Errorf("%s joins %s (%s) and %s (%s)", r.RelID(), r.From, nodes[r.From].Label, r.To, nodes[r.To].Label)
			}
		}
		for _, typ := range []string{domain.RelInvited, domain.RelSends, domain.RelStandsInFor, domain.RelAddresses, domain.RelRepliesTo, domain.RelPossiblySameAs} {
			if seen[typ] == 0 {
				t.Errorf("no %s in the seed", typ)
			}
		}
	})

	t.Run("Ensure every tie's event is an event of the seed, and invitations, sendings and stand-ins name one", func(t *testing.T) {
		for _, r := range b.Relationships {
			if r.Event != "" && (nodes[r.Event] == nil || nodes[r.Event].Label != domain.LabelEvent) {
				t.Errorf("%s: event %q is not an Event of the seed", r.RelID(), r.Event)
			}
			if (r.Type == domain.RelInvited || r.Type == domain.RelSends || r.Type == domain.RelStandsInFor) && r.Event == "" {
				t.Errorf("%s names no event", r.RelID())
			}
		}
	})

	t.Run("Ensure a possible identity says its basis", func(t *testing.T) {
		for _, r := range b.Relationships {
			if r.Type == domain.RelPossiblySameAs && !strings.HasPrefix(r.Description, "Basis: ") {
				t.Errorf("%s: description %q does not give the basis", r.RelID(), r.Description)
			}
		}
	})

	t.Run("Ensure จิ๋ม (ศรีไพร) has ties besides the comment that mentions her", func(t *testing.T) {
		var ties []string
		for _, r := range b.Relationships {
			if (r.From == "jim-sriprai" || r.To == "jim-sriprai") && r.Type != domain.RelMentions {
				ties = append(ties, r.RelID())
			}
		}
		if len(ties) < 2 {
			t.Fatalf("ties of jim-sriprai: %v (want the sending and the stand-in)", ties)
		}
	})

	t.Run("Ensure the logistics events are dated, their omitted years inferred with a note that reads back", func(t *testing.T) {
		tb := tiesFile(t)
		events, parsed := 0, 0
		for _, n := range tb.Nodes {
			if n.Label != domain.LabelEvent {
				continue
			}
			events++
			if n.Start == nil {
				t.Errorf("%s is undated", n.ID)
				continue
			}
			// every date of ties.yaml is of a text that writes no year
			if !n.Start.Inferred || n.Start.Note == "" || n.Start.Text == "" {
				t.Errorf("%s: start %+v is not marked inferred with a note and its text", n.ID, n.Start)
			}
			if !strings.HasPrefix(n.Start.Date, "2007-04") {
				t.Errorf("%s: %s is not in April 2007, the month of the meeting", n.ID, n.Start.Date)
			}
			if _, err := domain.ParseDate(n.ID, n.Start.Date); err != nil {
				t.Errorf("%s: %v", n.ID, err)
			}
			// where the text is a date without a year, the one parser,
			// given the post's year, reads the date stored
			if d, _, err := domain.ParseDateRange(n.ID, n.Start.Text, 2007); err == nil {
				if d.Date != n.Start.Date || !d.Inferred {
					t.Errorf("%s: %q reads as %+v, stored %s", n.ID, n.Start.Text, d, n.Start.Date)
				}
				parsed++
			}
		}
		if parsed == 0 {
			t.Error("no logistics date text reads as a date (วันที่12เมษายน should)")
		}
		if events < 4 {
			t.Fatalf("%d events in ties.yaml; the text states the trip up, the return, the holiday and the ticket shortage", events)
		}
	})
}
