package web

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// ConnLimits bound the TCP connections the server holds open: a client
// that opens connections and sends nothing (or a byte now and then) holds
// a file descriptor and a goroutine each, and the deadlines only end each
// one after seconds. Zero fields take their defaults; negative ones turn
// that bound off.
type ConnLimits struct {
	// PerAddr bounds the open connections of one client address (IPv6:
	// its /64). A browser opens 6 per host; a NAT of an office a few
	// dozen.
	PerAddr int
	// Total bounds all open connections.
	Total int
	// Exempt are addresses PerAddr does not apply to: trusted reverse
	// proxies, whose connections carry many clients (they still count
	// towards Total).
	Exempt []netip.Prefix
}

// Default connection limits; see docs/security.md, "Slow clients".
const (
	DefaultConnsPerAddr = 64
	DefaultConnsTotal   = 4096
)

// Deadlines of the HTTP server (HardenServer): the request headers must
// arrive within ReadHeaderTimeout; a kept-alive connection idle for
// IdleTimeout is closed. A request's body must arrive within the request's
// deadline (withRequestContext sets the connection's read deadline to it).
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 60 * time.Second
	MaxHeaderBytes    = 64 << 10
)

// HardenServer sets the server's header and idle deadlines and its header
// size cap (where unset). There is no ReadTimeout: the body's deadline is
// each request's own (see withRequestContext), so websockets and imports
// are not cut by one server-wide read deadline.
func HardenServer(srv *http.Server) *http.Server {
	if srv.ReadHeaderTimeout == 0 {
		srv.ReadHeaderTimeout = ReadHeaderTimeout
	}
	if srv.IdleTimeout == 0 {
		srv.IdleTimeout = IdleTimeout
	}
	if srv.MaxHeaderBytes == 0 {
		srv.MaxHeaderBytes = MaxHeaderBytes
	}
	return srv
}

// LimitListener wraps l so it holds at most lim.PerAddr connections of one
// address and lim.Total in all. A connection past either bound is closed
// as soon as it is accepted (not left waiting: the listener goes on
// accepting the others' connections).
func LimitListener(l net.Listener, lim ConnLimits) net.Listener {
	if lim.PerAddr == 0 {
		lim.PerAddr = DefaultConnsPerAddr
	}
	if lim.Total == 0 {
		lim.Total = DefaultConnsTotal
	}
	return &limitListener{Listener: l, lim: lim, perAddr: map[string]int{}}
}

type limitListener struct {
	net.Listener
	lim ConnLimits

	total   atomic.Int64
	refused atomic.Int64
	mu      sync.Mutex
	perAddr map[string]int
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr, exempt := l.addrOf(c)
		if l.lim.Total > 0 && l.total.Load() >= int64(l.lim.Total) {
			l.refuse(c)
			continue
		}
		if !exempt && l.lim.PerAddr > 0 {
			l.mu.Lock()
			if l.perAddr[addr] >= l.lim.PerAddr {
				l.mu.Unlock()
				l.refuse(c)
				continue
			}
			l.perAddr[addr]++
			l.mu.Unlock()
		} else {
			addr = "" // not counted by address
		}
		l.total.Add(1)
		return &limitConn{Conn: c, l: l, addr: addr}, nil
	}
}

// refuse closes a connection past the limits at once (RST rather than a
// lingering FIN_WAIT, so the refusal costs nothing more).
func (l *limitListener) refuse(c net.Conn) {
	l.refused.Add(1)
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// addrOf is the connection's client address (IPv6: its /64) and whether
// it is exempt from the per-address bound.
func (l *limitListener) addrOf(c net.Conn) (string, bool) {
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String(), false
	}
	a := ap.Addr().WithZone("").Unmap()
	if isTrusted(a, l.lim.Exempt) {
		return "", true
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String(), false
	}
	return a.String(), false
}

func (l *limitListener) release(addr string) {
	l.total.Add(-1)
	if addr == "" {
		return
	}
	l.mu.Lock()
	if l.perAddr[addr]--; l.perAddr[addr] <= 0 {
		delete(l.perAddr, addr)
	}
	l.mu.Unlock()
}

type limitConn struct {
	net.Conn
	l    *limitListener
	addr string
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.addr) })
	return err
}
