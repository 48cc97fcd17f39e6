package web

import (
	"container/list"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/phakhi/phakhi/auth"
)

// CodeRateLimited is the extensions.code of a request refused by the rate
// limit (HTTP 429).
const CodeRateLimited = "RATE_LIMITED"

// Default rate limit of the server (flags -rate-limit and -rate-burst); see
// the README's Limits section.
const (
	DefaultRatePerSecond = 10
	DefaultRateBurst     = 40
	// DefaultRateClients bounds the buckets kept at once.
	DefaultRateClients = 50_000
)

// RateLimit configures the per-client rate limit of /query, /graphql and
// /export: a token bucket per client, holding Burst requests and refilled
// with PerSecond requests a second. A client is the name of its API key
// when it sends a valid one, otherwise its IP address (IPv6: its /64).
// The zero value turns the limit off.
type RateLimit struct {
	// PerSecond is a client's sustained rate; 0 or less turns the limit off.
	PerSecond float64
	// Burst is how many requests a client may send at once (at least 1).
	Burst int
	// MaxClients bounds the buckets kept (default DefaultRateClients).
	// Buckets idle long enough to be full again are forgotten, which
	// changes nothing; past MaxClients the least recently seen goes.
	MaxClients int
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For is believed: for a request from one of them the
	// client is the rightmost address of X-Forwarded-For that is not a
	// trusted proxy. Empty: X-Forwarded-For is ignored.
	TrustedProxies []netip.Prefix
}

// Enabled says whether the limit is on.
func (l RateLimit) Enabled() bool { return l.PerSecond > 0 }

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR
// prefixes ("10.0.0.1, 192.168.0.0/16, ::1").
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or a CIDR prefix", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a CIDR prefix", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// rateLimiter holds the buckets, most recently seen first.
type rateLimiter struct {
	cfg   RateLimit
	limit rate.Limit
	// idle is the time an empty bucket takes to fill: a bucket not used
	// for that long is full, the same as a new one.
	idle time.Duration

	mu      sync.Mutex
	clients map[string]*list.Element // of *bucket
	recent  *list.List
}

type bucket struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

func newRateLimiter(cfg RateLimit) *rateLimiter {
	if cfg.Burst < 1 {
		cfg.Burst = max(1, int(math.Ceil(cfg.PerSecond)))
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = DefaultRateClients
	}
	return &rateLimiter{
		cfg:     cfg,
		limit:   rate.Limit(cfg.PerSecond),
		idle:    seconds(float64(cfg.Burst) / cfg.PerSecond),
		clients: map[string]*list.Element{},
		recent:  list.New(),
	}
}

// allow takes a token from the client's bucket. When there is none it
// says how long until there is.
func (rl *rateLimiter) allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	for e := rl.recent.Back(); e != nil; e = rl.recent.Back() {
		if b := e.Value.(*bucket); now.Sub(b.seen) >= rl.idle {
			rl.forget(e)
			continue
		}
		break
	}
	e, found := rl.clients[key]
	if found {
		rl.recent.MoveToFront(e)
	} else {
		if rl.recent.Len() >= rl.cfg.MaxClients {
			rl.forget(rl.recent.Back())
		}
		e = rl.recent.PushFront(&bucket{key: key, lim: rate.NewLimiter(rl.limit, rl.cfg.Burst)})
		rl.clients[key] = e
	}
	b := e.Value.(*bucket)
	b.seen = now
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - b.lim.TokensAt(now)
	return false, seconds(missing / rl.cfg.PerSecond)
}

// seconds converts to a Duration, at most about 30 years: a tiny rate must
// not overflow it.
func seconds(s float64) time.Duration {
	return time.Duration(math.Min(s, 1e9) * float64(time.Second))
}

func (rl *rateLimiter) forget(e *list.Element) {
	rl.recent.Remove(e)
	delete(rl.clients, e.Value.(*bucket).key)
}

// size is the number of buckets held.
func (rl *rateLimiter) size() int {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return rl.recent.Len()
}

// clientKey names the client of a request: its API key's name when it
// sends a valid key, otherwise its address.
func (rl *rateLimiter) clientKey(r *http.Request, keys *auth.Keyring) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if key, ok := auth.BearerToken(h); ok {
			if p, known := keys.Authenticate(key); known {
				return "key:" + p.Name
			}
		}
	}
	return "ip:" + clientAddr(r, rl.cfg.TrustedProxies)
}

// clientAddr is the address a client's requests are counted under: the
// peer's address, or with a trusted proxy as the peer the address it
// forwarded for; IPv6 addresses by their /64 (one subscriber's block).
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.WithZone("").Unmap()
	if isTrusted(addr, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // not written by a proxy of ours: keep the last trusted one
			}
			addr = hop.WithZone("").Unmap()
			if !isTrusted(addr, trusted) {
				break
			}
		}
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// limitRate refuses a client's requests past its rate with 429, a
// Retry-After header and a GraphQL error (RATE_LIMITED). Off when cfg is
// not enabled.
func limitRate(next http.Handler, cfg Config) http.Handler {
	rl := cfg.rateLimiter
	if rl == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := rl.allow(rl.clientKey(r, cfg.Keys), time.Now())
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		secs := max(1, int(math.Ceil(wait.Seconds())))
		if cfg.Metrics != nil {
			cfg.Metrics.errors.WithLabelValues(CodeRateLimited).Inc()
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		refuseRequest(w, r, http.StatusTooManyRequests, CodeRateLimited,
			fmt.Sprintf("too many requests: a client may send %s requests a second (%d at once); retry after %d s",
				strconv.FormatFloat(rl.cfg.PerSecond, 'f', -1, 64), rl.cfg.Burst, secs),
			map[string]any{"limit": rl.cfg.PerSecond, "burst": rl.cfg.Burst, "retryAfterSeconds": secs})
	})
}
