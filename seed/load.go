package seed

import (
	"context"
	"log/slog"
	"time"

	"github.com/phakhi/phakhi/store"
)

// Load loads the seed graph (force) or, unless forced, only into an
// empty database. The schema must exist already (EnsureSchema).
func Load(ctx context.Context, st *store.Store, logger *slog.Logger, force bool) error {
	if !force {
		empty, err := st.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			logger.Info("the database holds a graph already: seed not loaded (use -seed=reload or `reload-seed` to merge it again)")
			return nil
		}
	}
	b, err := Bundle()
	if err != nil {
		return err
	}
	began := time.Now()
	res, err := st.LoadBundle(ctx, b)
	if err != nil {
		return err
	}
	logger.Info("seed graph loaded", "nodes", res.Nodes, "relationships", res.Relationships, "ms", time.Since(began).Milliseconds())
	return nil
}
