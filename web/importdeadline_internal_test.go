package web

import (
	"context"
	"testing"
	"time"
)

// Ensure an import outlives its request's shorter deadline, keeps the
// request's values, and still ends when the client goes away.
func TestImportDeadline(t *testing.T) {
	type key struct{}
	t.Run("Ensure the request's deadline does not end the import", func(t *testing.T) {
		parent, cancel := context.WithTimeout(context.WithValue(context.Background(), key{}, "v"), time.Millisecond)
		defer cancel()
		ctx, stop := importDeadline(parent, time.Hour)
		defer stop()
		<-parent.Done()
		if ctx.Err() != nil {
			t.Fatalf("the import ended with its request's deadline: %v", ctx.Err())
		}
		if d, ok := ctx.Deadline(); !ok || time.Until(d) < 50*time.Minute {
			t.Fatalf("deadline %v, want about an hour from now", d)
		}
		if ctx.Value(key{}) != "v" {
			t.Fatal("the request's values are lost")
		}
	})
	t.Run("Ensure a client that goes away ends the import", func(t *testing.T) {
		parent, cancel := context.WithCancel(context.Background())
		ctx, stop := importDeadline(parent, time.Hour)
		defer stop()
		cancel()
		<-ctx.Done() // would hang (the test's own timeout) if not propagated
	})
}
