package testkit

import (
	"bufio"
	"strconv"
	"strings"
)

// MetricValue sums the samples of a metric whose label set contains every
// given label (name="value" pairs) in a Prometheus text exposition; found says whether any sample matched.
func MetricValue(text, name string, labels ...string) (sum float64, found bool) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		series, value, ok := strings.Cut(line, " ")
		if i := strings.LastIndex(line, "}"); i >= 0 { // label values may hold spaces
			series, value, ok = line[:i+1], line[i+1:], true
		}
		if !ok || strings.TrimSpace(value) == "" {
			continue
		}
		metric, labelSet, _ := strings.Cut(series, "{")
		if metric != name {
			continue
		}
		match := true
		for _, l := range labels {
			if !strings.Contains(labelSet, l) {
				match = false
			}
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(strings.Fields(value)[0], 64)
		if err == nil {
			sum += v
			found = true
		}
	}
	return sum, found
}
