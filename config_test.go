package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestConfigEnvironment checks that every kind of environment variable is
// read, and that a malformed one is an error naming it rather than the
// default in silence.
func TestConfigEnvironment(t *testing.T) {
	parse := func(env map[string]string) (*config, error) {
		return parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := parse(map[string]string{"PHAKHI_PRIVATE_READS": "true", "PHAKHI_INTROSPECTION": "false",
		"PHAKHI_REQUEST_TIMEOUT": "2m", "PHAKHI_MAX_DEPTH": " 9 ", "PHAKHI_RATE_LIMIT": "2.5"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.privateReads || c.introspection || c.requestTimeout != 2*time.Minute || c.limits.MaxDepth != 9 || c.rateLimit.PerSecond != 2.5 {
		t.Fatalf("values not applied: %+v", c)
	}
	for _, tc := range []struct{ key, value, want string }{
		{"PHAKHI_PRIVATE_READS", "yes", "true or false"},
		{"PHAKHI_INTROSPECTION", "off", "true or false"},
		{"PHAKHI_REQUEST_TIMEOUT", "30", "a duration"},
		{"PHAKHI_MAX_COST", "lots", "an integer"},
		{"PHAKHI_RATE_LIMIT", "ten", "a number"},
	} {
		_, err := parse(map[string]string{tc.key: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.value) {
			t.Errorf("%s=%s: got %v, want an error naming the variable, the value and %q", tc.key, tc.value, err, tc.want)
		}
	}
	// Two bad variables: both named at once.
	_, err = parse(map[string]string{"PHAKHI_PRIVATE_READS": "yes", "PHAKHI_MAX_DEPTH": "deep"})
	if err == nil || !strings.Contains(err.Error(), "PHAKHI_PRIVATE_READS") || !strings.Contains(err.Error(), "PHAKHI_MAX_DEPTH") {
		t.Fatalf("got %v, want both variables named", err)
	}
}
