package main

import (
	"runtime/debug"
)

// defaultGCPercent is the server's GOGC when neither -gc-percent
// (PHAKHI_GC_PERCENT) nor GOGC says otherwise. Go's own 100 collects
// whenever the heap doubles, which for a server whose live heap is a few
// MiB and whose every request allocates tens of KiB (decoded records,
// gqlgen's marshalling) is a cycle every few dozen requests: the
// background mark workers took 5–14 % of the server's CPU under the
// benchmark (bench/README.md, "The read path's Go cost"). 400 lets the
// heap grow to five times what is live before collecting; GOMEMLIMIT,
// when set, still bounds it as usual.
const defaultGCPercent = 400

// tuneGC sets the collector's target: -gc-percent when given (flag or
// PHAKHI_GC_PERCENT), else GOGC when set (the runtime has read it
// already), else defaultGCPercent.
func tuneGC(c *config) {
	if c.gcApply {
		debug.SetGCPercent(c.gcPercent)
	}
}
