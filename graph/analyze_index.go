package graph

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/phakhi/phakhi/analyze"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

// nameIndexes holds one name index per store. The server builds its
// store's at start (BuildNameIndex, from server.go's prepare), beside
// serving: at a million nodes the build takes minutes on a small machine,
// and the other reads need not wait for it. A resolver over a store
// without one (graph's own tests) builds it on first use.
var nameIndexes sync.Map // *store.Store -> *nameIndex

type nameIndex struct {
	ready chan struct{} // closed once ix or err is set
	ix    *analyze.Index
	err   error
	// stop ends the index's change feed (which ends with the server, or
	// lives as long as the process when an analysis built the index)
	stop context.CancelFunc
}

// build fills n from st and closes ready; the index follows the change
// feed until life ends.
func (n *nameIndex) build(ctx, life context.Context, st *store.Store, log *slog.Logger) {
	n.ix, n.stop, n.err = startNameIndex(ctx, life, st, log)
	close(n.ready)
}

// BuildNameIndex builds the document analyzer's name index of st, in one
// read, and has it follow the change feed from then on; analyses that come
// meanwhile wait for it (as long as their request may). The server calls
// it at start, once the seed is loaded, so the first analysis does not
// build the index; an index an analysis built earlier (while the seed was
// loading: the server answers meanwhile) is replaced, for the seed load is
// not in the change feed.
func BuildNameIndex(ctx context.Context, st *store.Store, log *slog.Logger) error {
	n := &nameIndex{ready: make(chan struct{})}
	old, replaced := nameIndexes.Swap(st, n)
	n.build(ctx, ctx, st, log) // the server's index lives as long as the server
	if n.err != nil {
		nameIndexes.CompareAndDelete(st, n) // the next analysis tries again
		return fmt.Errorf("build the name index: %w", n.err)
	}
	if replaced {
		o := old.(*nameIndex)
		<-o.ready // an earlier build still running finishes first
		if o.stop != nil {
			o.stop()
		}
	}
	return nil
}

// Analyzer is the name index of the store behind r (see BuildNameIndex).
func (r *Resolver) Analyzer(ctx context.Context) (*analyze.Index, error) {
	return nameIndexOf(ctx, r.Store, nil)
}

func nameIndexOf(ctx context.Context, st *store.Store, log *slog.Logger) (*analyze.Index, error) {
	fresh := &nameIndex{ready: make(chan struct{})}
	v, loaded := nameIndexes.LoadOrStore(st, fresh)
	n := v.(*nameIndex)
	if !loaded {
		n.build(ctx, context.Background(), st, log)
	}
	select {
	case <-n.ready:
	case <-ctx.Done():
		return nil, &domain.Error{Code: domain.EUNAVAILABLE, Message: "the name index is still being built (the server has just started): try again in a moment"}
	}
	if n.err != nil {
		nameIndexes.CompareAndDelete(st, n) // the next call tries again
		return nil, fmt.Errorf("build the name index: %w", n.err)
	}
	return n.ix, nil
}

// startNameIndex subscribes to the change feed, then reads every node's
// names, so a change committed while the (long, at a million nodes) read
// runs is applied after it, not lost. The index has its own feed: it
// follows the audit trail in Neo4j, so the writes of every copy of the
// server reach every copy's index.
func startNameIndex(ctx, life context.Context, st *store.Store, log *slog.Logger) (*analyze.Index, context.CancelFunc, error) {
	if log == nil {
		log = slog.Default()
	}
	feed, stop := context.WithCancel(life)
	p := newPendingIDs()
	go func() {
		for gc := range NewChanges(st, log).Subscribe(feed, nil) {
			p.add(gc.Ids)
		}
		p.close() // the feed ended: so does followChanges
	}()
	bl := analyze.NewBuilder()
	if err := st.NamePages(ctx, bl.Add); err != nil {
		stop()
		return nil, nil, err
	}
	ix := bl.Index()
	go followChanges(st, ix, p, log)
	return ix, stop, nil
}

// pendingIDs are the ids that changes touched and the index has not yet
// re-read. The feed's reader only adds to it, so it never falls behind
// (the feed drops events for a subscriber that does not read), and the
// changes that come while one is applied are applied together, in one
// read.
type pendingIDs struct {
	mu     sync.Mutex
	ids    map[string]bool
	ready  chan struct{} // holds a token while ids is not empty
	closed bool
}

// close ends the set: ready is closed, and adds are ignored.
func (p *pendingIDs) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.ready)
	}
}

func newPendingIDs() *pendingIDs {
	return &pendingIDs{ids: map[string]bool{}, ready: make(chan struct{}, 1)}
}

// add records the nodes of a change's ids: a node's id, or both ends of a
// derived relationship id (from>TYPE>to).
func (p *pendingIDs) add(ids []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	for _, id := range ids {
		if parts := strings.Split(id, ">"); len(parts) >= 3 {
			p.ids[parts[0]], p.ids[parts[2]] = true, true
		} else {
			p.ids[id] = true
		}
	}
	if len(p.ids) > 0 {
		select {
		case p.ready <- struct{}{}:
		default:
		}
	}
}

// take empties the set and returns what it held.
func (p *pendingIDs) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.ids))
	for id := range p.ids {
		out = append(out, id)
	}
	clear(p.ids)
	return out
}

// followChanges re-reads the names of the nodes the pending changes
// touch and applies them to the index; nodes no longer there leave it. A
// failed read puts its ids back and is tried again a second later.
func followChanges(st *store.Store, ix *analyze.Index, p *pendingIDs, log *slog.Logger) {
	for range p.ready {
		list := p.take()
		if len(list) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		b, err := st.NameBundle(ctx, list)
		cancel()
		if err != nil {
			log.Warn("name index: follow the change feed", "err", err)
			time.Sleep(time.Second)
			p.add(list)
			continue
		}
		found := map[string]bool{}
		for _, n := range b.Nodes {
			found[n.ID] = true
		}
		var gone []string
		for _, id := range list {
			if !found[id] && ix.Node(id) != nil {
				gone = append(gone, id)
			}
		}
		ix.Apply(b, gone)
	}
}

// forgetNameIndex ends the change feed of st's index and forgets it (for
// tests, whose stores close when they end).
func forgetNameIndex(st *store.Store) {
	if v, ok := nameIndexes.LoadAndDelete(st); ok {
		n := v.(*nameIndex)
		<-n.ready
		if n.stop != nil {
			n.stop()
		}
	}
}
