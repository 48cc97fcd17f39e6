package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func TestDeleteSource(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	b := smallBundle()
	mustLoad(t, s, b)

	t.Run("Ensure a source that facts cite cannot be deleted, and the error counts them", func(t *testing.T) {
		_, err := s.DeleteNode(ctx, "admin", "src", nil)
		var me *domain.Error
		if !errors.As(err, &me) || me.Code != domain.ECONFLICT || me.Field != "id" ||
			!strings.Contains(me.Message, `the source "src" is cited by 37 facts (18 nodes and 19 relationships)`) {
			t.Fatalf("err = %v, want a conflict counting the facts that cite src", err)
		}
		if _, err := s.FindNodeByID(ctx, "src", &domain.Selection{}); err != nil {
			t.Fatalf("the refused delete removed the source: %v", err)
		}
	})

	t.Run("Ensure a source no other fact cites is deleted, with the relationships it is cited for", func(t *testing.T) {
		memo := domain.NodeRecord{ID: "memo", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "บันทึก", Evidence: []domain.Evidence{{Source: "memo", Quote: "บันทึก"}}}
		if err := s.CreateNode(ctx, "editor", memo); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateRelationship(ctx, "editor", domain.RelRecord{Type: domain.RelMentions, From: "memo", To: "pat", Evidence: []domain.Evidence{{Source: "memo", Quote: "พัช"}}}); err != nil {
			t.Fatal(err)
		}
		rels, err := s.DeleteNode(ctx, "admin", "memo", nil)
		if err != nil || rels != 1 {
			t.Fatalf("delete memo: %d relationships, %v", rels, err)
		}
	})
}
