package graph

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/store"
)

// PollInterval is how often the change feed reads the audit trail.
const PollInterval = 250 * time.Millisecond

// Changes feeds graphChanged subscriptions. It reads the audit trail in
// Neo4j rather than passing events in memory, so a subscriber on any copy
// of the (stateless) server sees the writes made through every copy. One
// poller runs per process while anyone subscribes.
type Changes struct {
	store *store.Store
	log   *slog.Logger

	mu      sync.Mutex
	subs    map[chan *model.GraphChange][]string
	cancel  context.CancelFunc
	stopped chan struct{}
}

// NewChanges makes a change feed over a store.
func NewChanges(s *store.Store, log *slog.Logger) *Changes {
	if log == nil {
		log = slog.Default()
	}
	return &Changes{store: s, log: log, subs: map[chan *model.GraphChange][]string{}}
}

// Subscribe returns a channel of the changes that touch ids (all changes
// when ids is empty) until ctx ends.
func (c *Changes) Subscribe(ctx context.Context, ids []string) <-chan *model.GraphChange {
	ch := make(chan *model.GraphChange, 64)
	c.mu.Lock()
	c.subs[ch] = ids
	if c.cancel == nil {
		pctx, cancel := context.WithCancel(context.Background())
		c.cancel, c.stopped = cancel, make(chan struct{})
		go c.poll(pctx, c.stopped)
	}
	c.mu.Unlock()
	go func() {
		<-ctx.Done()
		c.mu.Lock()
		delete(c.subs, ch)
		close(ch)
		if len(c.subs) == 0 && c.cancel != nil {
			c.cancel()
			c.cancel = nil
		}
		c.mu.Unlock()
	}()
	return ch
}

// lookBack re-reads a window of the trail: a transaction that started
// earlier may commit after a later one.
const lookBack = 5 * time.Second

func (c *Changes) poll(ctx context.Context, stopped chan struct{}) {
	defer close(stopped)
	since := time.Now().Add(-time.Second).UnixMilli()
	seen := map[string]int64{}
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changes, ms, err := c.store.ChangesSince(ctx, since-lookBack.Milliseconds())
		if err != nil {
			if ctx.Err() == nil {
				c.log.Warn("change feed", "err", err)
			}
			continue
		}
		for i, ch := range changes {
			if _, ok := seen[ch.ID]; ok {
				continue
			}
			seen[ch.ID] = ms[i]
			if ms[i] > since {
				since = ms[i]
			}
			c.publish(&model.GraphChange{ChangeID: ch.ID, At: ch.At, Actor: ch.Actor, Action: ch.Action, Ids: ch.IDs})
		}
		for id, at := range seen {
			if at < since-2*lookBack.Milliseconds() {
				delete(seen, id)
			}
		}
	}
}

func (c *Changes) publish(gc *model.GraphChange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ch, ids := range c.subs {
		if !touches(gc.Ids, ids) {
			continue
		}
		select {
		case ch <- gc:
		default: // a subscriber that does not read loses events, not the server
		}
	}
}

func touches(changed, wanted []string) bool {
	if len(wanted) == 0 {
		return true
	}
	for _, w := range wanted {
		for _, c := range changed {
			if c == w {
				return true
			}
		}
	}
	return false
}
