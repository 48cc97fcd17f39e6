package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// threadCPU is the CPU time of a process's threads, summed by thread
// name with the digits folded ("neo4j.BoltWorker-12" and "-3" are one
// "neo#j.BoltWorker-#"), read from /proc/PID/task/*/stat. A thread that
// ended between two readings is lost; the JVM's named pools live long.
//
// Hand-written because it is ten lines of /proc and no library reads a
// JVM's threads by name from outside it.
func threadCPU(pid int) map[string]time.Duration {
	out := map[string]time.Duration{}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		out[digits.ReplaceAllString(s[open+1:end], "#")] += time.Duration(utime+stime) * (time.Second / 100) // USER_HZ is 100 on Linux
	}
	return out
}

var digits = regexp.MustCompile(`\d+`)

// threadDelta lists the n thread names that took the most CPU between two
// readings, with their CPU.
func threadDelta(before, after map[string]time.Duration, n int) string {
	type th struct {
		name string
		cpu  time.Duration
	}
	var ths []th
	for name, c := range after {
		if d := c - before[name]; d >= 50*time.Millisecond {
			ths = append(ths, th{name, d})
		}
	}
	sort.Slice(ths, func(i, j int) bool { return ths[i].cpu > ths[j].cpu })
	parts := []string{}
	for i := 0; i < len(ths) && i < n; i++ {
		parts = append(parts, fmt.Sprintf("%s %s", ths[i].name, ths[i].cpu.Round(10*time.Millisecond)))
	}
	return strings.Join(parts, ", ")
}
