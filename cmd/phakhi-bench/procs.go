package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/phakhi/phakhi/localneo4j"
)

// startNeo4j starts a local Neo4j on dataDir with the benchmark's memory
// caps.
func startNeo4j(ctx context.Context, dataDir string, heapMB, pageCacheMB int, progress io.Writer) (*localneo4j.Instance, error) {
	return localneo4j.Start(ctx, localneo4j.Config{
		DataDir:     dataDir,
		HeapMB:      heapMB,
		PageCacheMB: pageCacheMB,
		TxTimeout:   30 * time.Minute, // loading; the servers bound their own queries
		Progress:    progress,
	})
}

// proc is a child process (Phakhi or the Node server) with its output in a
// log file.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

func startProc(name string, dir string, logPath string, env []string, bin string, args ...string) (*proc, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	// its own process group (a Ctrl-C reaches the harness, which stops it in
	// order), and SIGTERM if the harness dies
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop ends the process (SIGTERM, then SIGKILL after 10s) by its pid.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// waitHTTP waits until url answers 200 (or the process exits).
func (p *proc) waitHTTP(ctx context.Context, url string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("%s exited during start-up; see %s", p.name, p.log)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer %s within %s; see %s", p.name, url, within, p.log)
}

// memInfo reads VmRSS and VmHWM (peak RSS) of pid from /proc, in bytes.
func memInfo(pid int) (rss, hwm int64) {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		for _, k := range []struct {
			key string
			dst *int64
		}{{"VmRSS:", &rss}, {"VmHWM:", &hwm}} {
			if strings.HasPrefix(line, k.key) {
				fields := strings.Fields(line[len(k.key):])
				if len(fields) > 0 {
					n, _ := strconv.ParseInt(fields[0], 10, 64)
					*k.dst = n * 1024
				}
			}
		}
	}
	return rss, hwm
}

// cpuTime is the CPU time (user and system) process pid has used, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux);
// 0 if it cannot be read. By hand: no library in our tree reads it.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}

// peakSampler records the largest value a reading gives while it runs,
// read every period: the RSS of a process, the Go heap.
type peakSampler struct {
	mu   sync.Mutex
	max  int64
	stop chan struct{}
	wg   sync.WaitGroup
}

func samplePeak(period time.Duration, read func() int64) *peakSampler {
	s := &peakSampler{stop: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			v := read()
			s.mu.Lock()
			s.max = max(s.max, v)
			s.mu.Unlock()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// sampleRSS records the largest RSS of pid.
func sampleRSS(pid int) *peakSampler {
	return samplePeak(200*time.Millisecond, func() int64 { rss, _ := memInfo(pid); return rss })
}

// sampleHeap records the largest live Go heap (HeapAlloc).
func sampleHeap() *peakSampler {
	return samplePeak(50*time.Millisecond, func() int64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	})
}

func (s *peakSampler) done() int64 {
	close(s.stop)
	s.wg.Wait()
	return s.max
}

func freePort() int {
	p, err := localneo4j.FreePort()
	if err != nil {
		panic(err)
	}
	return p
}

func startNeo4jPort(ctx context.Context, dataDir string, port, heapMB, pageCacheMB int) (*localneo4j.Instance, error) {
	return localneo4j.Start(ctx, localneo4j.Config{
		DataDir: dataDir, Port: port, HeapMB: heapMB, PageCacheMB: pageCacheMB,
		TxTimeout: 30 * time.Minute, Progress: os.Stderr,
	})
}
