package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// stats are the measurements of one operation on one system.
type stats struct {
	System   string  `json:"system"`
	Op       string  `json:"op"`
	Count    int     `json:"count"`
	Errors   int     `json:"errors"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50ms"`
	P99      float64 `json:"p99ms"`
	Mean     float64 `json:"meanms"`
	TripsMin int     `json:"roundTripsMin,omitempty"`
	TripsMax int     `json:"roundTripsMax,omitempty"`
	FirstErr string  `json:"firstError,omitempty"`
	Note     string  `json:"note,omitempty"`
	Skipped  bool    `json:"skipped,omitempty"`
}

// doFunc runs one request; trips is the round-trip count it reports (-1
// when not applicable).
type doFunc func(ctx context.Context, p param) (trips int, err error)

// measure runs do for warm (discarded) and then for dur, with conc
// workers in closed loops, each cycling through params from its own
// offset.
func measure(ctx context.Context, conc int, warm, dur time.Duration, params []param, do doFunc) stats {
	phase := func(d time.Duration, keep bool) ([]time.Duration, int, int, int, string, time.Duration) {
		var mu sync.Mutex
		var lat []time.Duration
		errs, tmin, tmax := 0, 1<<30, -1
		first := ""
		began := time.Now()
		deadline := began.Add(d)
		var wg sync.WaitGroup
		for w := 0; w < conc; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				i := w * len(params) / conc
				var mine []time.Duration
				for time.Now().Before(deadline) && ctx.Err() == nil {
					p := params[i%len(params)]
					i++
					t := time.Now()
					trips, err := do(ctx, p)
					el := time.Since(t)
					mu.Lock()
					if err != nil {
						errs++
						if first == "" {
							first = err.Error()
						}
					} else if trips >= 0 {
						tmin, tmax = min(tmin, trips), max(tmax, trips)
					}
					mu.Unlock()
					if keep && err == nil {
						mine = append(mine, el)
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}(w)
		}
		wg.Wait()
		return lat, errs, tmin, tmax, first, time.Since(began)
	}
	if warm > 0 {
		phase(warm, false)
	}
	lat, errs, tmin, tmax, first, el := phase(dur, true)
	st := stats{Count: len(lat), Errors: errs, Seconds: el.Seconds(), FirstErr: first}
	if tmax >= 0 {
		st.TripsMin, st.TripsMax = tmin, tmax
	}
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		var sum time.Duration
		for _, l := range lat {
			sum += l
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		st.RPS = float64(len(lat)) / el.Seconds()
		st.P50 = ms(lat[len(lat)*50/100])
		st.P99 = ms(lat[min(len(lat)-1, len(lat)*99/100)])
		st.Mean = ms(sum / time.Duration(len(lat)))
	}
	return st
}

// gqlClient posts GraphQL requests to one endpoint.
type gqlClient struct {
	url    string
	client *http.Client
}

func newGQLClient(url string, conc int) *gqlClient {
	tr := &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, IdleConnTimeout: time.Minute}
	return &gqlClient{url: url, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// post sends one request. With full, data is the decoded "data" object;
// without, only errors and extensions.roundTrips are decoded (what the
// measured loop needs).
func (c *gqlClient) post(ctx context.Context, query string, vars map[string]any, full bool) (data map[string]any, trips int, err error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, err
	}
	var out struct {
		Data       json.RawMessage `json:"data"`
		Errors     []gqlError      `json:"errors"`
		Extensions struct {
			RoundTrips *int `json:"roundTrips"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, 0, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return nil, 0, fmt.Errorf("HTTP %d: %s %v", resp.StatusCode, out.Errors[0].Message, out.Errors[0].Extensions["code"])
	}
	trips = -1
	if out.Extensions.RoundTrips != nil {
		trips = *out.Extensions.RoundTrips
	}
	if full {
		if err := json.Unmarshal(out.Data, &data); err != nil {
			return nil, trips, err
		}
	}
	return data, trips, nil
}
