package store

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// TestCitingLocksTheSource shows that evidence citing a source holds the
// source's lock until it commits: a delete of the source beside it waits,
// then finds the new citation and is refused, instead of leaving a fact
// citing a deleted node.
func TestCitingLocksTheSource(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, true)
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadBundle(ctx, &domain.Bundle{Nodes: []domain.NodeRecord{{ID: "lone-src", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "แหล่ง",
		Evidence: []domain.Evidence{{Source: "lone-src", Quote: "self"}}}}}); err != nil {
		t.Fatal(err)
	}

	cited, release := make(chan struct{}), make(chan struct{})
	created := make(chan error, 1)
	go func() {
		_, err := s.write(ctx, "TestCitingLocksTheSource", func(tx neo4j.ManagedTransaction) (any, error) {
			if err := checkSources(ctx, tx, "input", []domain.Evidence{{Source: "lone-src", Quote: "q"}}, nil); err != nil {
				return nil, err
			}
			if _, err := run(ctx, tx, "CREATE (:Node:Person {id: 'citer', name: 'ผู้อ้าง', evidenceSources: ['lone-src']})", nil); err != nil {
				return nil, err
			}
			select {
			case <-cited: // a retry
			default:
				close(cited)
			}
			<-release
			return nil, nil
		})
		created <- err
	}()
	<-cited
	deleted := make(chan error, 1)
	go func() { _, err := s.DeleteNode(ctx, "test", "lone-src", nil); deleted <- err }()
	select {
	case err := <-deleted:
		t.Fatalf("the delete did not wait for the citing transaction: %v", err)
	case <-time.After(700 * time.Millisecond):
	}
	close(release)
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("delete after the citation committed: %v, want CONFLICT", err)
	}
}
