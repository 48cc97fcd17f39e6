// Package localneo4j runs a real Neo4j Community server on this machine for
// `go run .` and for the tests: Neo4j 5.26 embedded in a small JVM launcher
// (launcher/Launcher.java), with Bolt on 127.0.0.1 only.
//
// The first start resolves the Neo4j jars from Maven Central with Maven and
// compiles the launcher with javac; both are cached under the user's cache
// folder, so later starts take a few seconds. Each instance has its own data
// folder, Bolt port and memory caps, and stops cleanly on Stop, on SIGTERM, or
// when the Go process that started it dies (the launcher exits when its
// standard input closes).
package localneo4j

import (
	"bufio"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

//go:embed launcher/pom.xml
var pomXML []byte

//go:embed launcher/Launcher.java
var launcherJava []byte

// Config says where and how to run the local Neo4j. Zero values get defaults.
type Config struct {
	// DataDir is the Neo4j home folder (databases, transaction logs, logs).
	DataDir string
	// Port is the Bolt port on 127.0.0.1; 0 picks a free one.
	Port int
	// HeapMB caps the JVM heap (default 1024).
	HeapMB int
	// PageCacheMB caps Neo4j's page cache (default 256, at most 512).
	PageCacheMB int
	// TxTimeout is Neo4j's own transaction timeout (default 60s).
	TxTimeout time.Duration
	// CacheDir holds the resolved jars and the compiled launcher
	// (default: $PHAKHI_CACHE_DIR or <user cache dir>/phakhi).
	CacheDir string
	// StartTimeout bounds how long Start waits for Neo4j to answer
	// (default 120s; the first jar download is not counted).
	StartTimeout time.Duration
	// JVMOptions are added to the JVM's command line after the memory
	// caps (for example neo4jtest's short-lived-JVM options).
	JVMOptions []string
	// Progress receives Maven's download progress and start-up messages
	// (default os.Stderr).
	Progress io.Writer
}

func (c *Config) withDefaults() error {
	if c.DataDir == "" {
		return errors.New("localneo4j: DataDir is required")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return fmt.Errorf("localneo4j: data dir: %w", err)
	}
	c.DataDir = abs
	if c.HeapMB <= 0 {
		c.HeapMB = 1024
	}
	if c.PageCacheMB <= 0 {
		c.PageCacheMB = 256
	}
	if c.PageCacheMB > 512 {
		c.PageCacheMB = 512
	}
	if c.TxTimeout <= 0 {
		c.TxTimeout = 60 * time.Second
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = 120 * time.Second
	}
	if c.Progress == nil {
		c.Progress = os.Stderr
	}
	if c.CacheDir == "" {
		c.CacheDir = os.Getenv("PHAKHI_CACHE_DIR")
	}
	if c.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		c.CacheDir = filepath.Join(dir, "phakhi")
	}
	return nil
}

// Instance is one running (or stopped) local Neo4j.
type Instance struct {
	cfg       Config
	classpath string
	jarsDir   string // the cache folder of the jars, where the class archive lives

	mu       sync.Mutex
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	exited   chan struct{}
	stopping bool // Stop was called: an exit is expected, not restarted

	// state and restarts have their own lock: State answers while a
	// (re)start holds mu for up to StartTimeout.
	stateMu  sync.Mutex
	state    string // see State
	restarts int
}

func (in *Instance) setState(s string) {
	in.stateMu.Lock()
	in.state = s
	in.stateMu.Unlock()
}

// The states of an Instance (State).
const (
	StateStarting   = "starting"
	StateRunning    = "running"
	StateRestarting = "restarting" // the JVM exited on its own; starting it again
	StateStopped    = "stopped"
)

// State says whether the local Neo4j is starting, running, restarting
// after its JVM exited on its own (it is supervised: see supervise), or
// stopped.
func (in *Instance) State() string {
	in.stateMu.Lock()
	defer in.stateMu.Unlock()
	if in.state == "" {
		return StateStarting
	}
	return in.state
}

// Restarts is how many times the supervisor restarted the JVM.
func (in *Instance) Restarts() int {
	in.stateMu.Lock()
	defer in.stateMu.Unlock()
	return in.restarts
}

// PID is the process id of the JVM, or 0.
func (in *Instance) PID() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cmd == nil || in.cmd.Process == nil {
		return 0
	}
	return in.cmd.Process.Pid
}

// supervise waits for the JVM cmd to exit; unless Stop asked for it (or a
// newer JVM replaced it), it starts Neo4j again, with a backoff of 1 s
// doubling to 30 s between failed attempts, and says so on Progress.
func (in *Instance) supervise(cmd *exec.Cmd, exited <-chan struct{}) {
	<-exited
	in.mu.Lock()
	if in.stopping || in.cmd != cmd {
		in.mu.Unlock()
		return
	}
	in.mu.Unlock()
	in.setState(StateRestarting)
	status := "unknown status"
	if cmd.ProcessState != nil {
		status = cmd.ProcessState.String()
	}
	fmt.Fprintf(in.cfg.Progress, "localneo4j: Neo4j (pid %d) exited on its own (%s); restarting it\n", cmd.Process.Pid, status)
	backoff := time.Second
	for attempt := 1; ; attempt++ {
		time.Sleep(backoff)
		in.mu.Lock()
		stop := in.stopping
		in.mu.Unlock()
		if stop {
			return
		}
		err := in.start(context.Background())
		if err == nil {
			in.stateMu.Lock()
			in.restarts++
			in.stateMu.Unlock()
			fmt.Fprintf(in.cfg.Progress, "localneo4j: Neo4j restarted (attempt %d)\n", attempt)
			return // start supervises the new JVM
		}
		backoff = min(2*backoff, 30*time.Second)
		fmt.Fprintf(in.cfg.Progress, "localneo4j: restart attempt %d failed: %v; next in %s\n", attempt, err, backoff)
		in.setState(StateRestarting)
	}
}

// Start resolves the jars if needed, starts Neo4j and waits until Bolt
// answers `RETURN 1`.
func Start(ctx context.Context, cfg Config) (*Instance, error) {
	if err := cfg.withDefaults(); err != nil {
		return nil, err
	}
	if cfg.Port == 0 {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		cfg.Port = p
	}
	cp, jars, err := ensureLauncher(ctx, cfg.CacheDir, cfg.Progress)
	if err != nil {
		return nil, err
	}
	in := &Instance{cfg: cfg, classpath: cp, jarsDir: jars}
	if err := in.start(ctx); err != nil {
		return nil, err
	}
	return in, nil
}

// URI is the Bolt URI of the instance.
func (in *Instance) URI() string { return "bolt://127.0.0.1:" + strconv.Itoa(in.cfg.Port) }

// Port is the Bolt port of the instance.
func (in *Instance) Port() int { return in.cfg.Port }

// DataDir is the Neo4j home folder of the instance.
func (in *Instance) DataDir() string { return in.cfg.DataDir }

// Running reports whether the JVM is up.
func (in *Instance) Running() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cmd == nil {
		return false
	}
	select {
	case <-in.exited:
		return false
	default:
		return true
	}
}

func (in *Instance) start(ctx context.Context) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cmd != nil {
		select {
		case <-in.exited:
		default:
			return errors.New("localneo4j: already running")
		}
	}
	in.stopping = false
	if in.State() != StateRestarting {
		in.setState(StateStarting)
	}
	if err := os.MkdirAll(in.cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("localneo4j: create data dir: %w", err)
	}
	if !portFree(in.cfg.Port) {
		return fmt.Errorf("localneo4j: port %d on 127.0.0.1 is already in use (set another port or stop what holds it)", in.cfg.Port)
	}
	java, err := javaBinary()
	if err != nil {
		return err
	}
	logPath := filepath.Join(in.cfg.DataDir, "launcher.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("localneo4j: open launcher log: %w", err)
	}
	args := []string{
		"-Xms" + strconv.Itoa(in.cfg.HeapMB/2) + "m",
		"-Xmx" + strconv.Itoa(in.cfg.HeapMB) + "m",
		"-XX:+UseG1GC",
		"-XX:+ExitOnOutOfMemoryError",
		"-Dfile.encoding=UTF-8",
	}
	args = append(args, in.cfg.JVMOptions...)
	share := shareClasses(in.jarsDir)
	args = append(args, share.options...)
	args = append(args, "-cp", in.classpath, "Launcher",
		in.cfg.DataDir,
		strconv.Itoa(in.cfg.Port),
		strconv.Itoa(in.cfg.PageCacheMB),
		strconv.Itoa(int(in.cfg.TxTimeout/time.Second)),
	)
	cmd := exec.Command(java, args...)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return fmt.Errorf("localneo4j: %w", err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		logFile.Close()
		return fmt.Errorf("localneo4j: %w", err)
	}
	// Own process group: a Ctrl-C in the terminal reaches the Go server,
	// which then stops Neo4j in order instead of both racing.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		share.finish(false)
		return fmt.Errorf("localneo4j: start java: %w", err)
	}
	exited := make(chan struct{})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			if !signalled && strings.HasPrefix(line, "PHAKHI-NEO4J-READY") {
				signalled = true
				close(ready)
			}
		}
	}()
	go func() {
		_ = cmd.Wait()
		// before exited, so a stopped instance's archive is in place; a
		// JVM that exited by itself (0, or 143 after SIGTERM) wrote it
		// whole, one killed by a signal may not have
		share.finish(cmd.ProcessState.ExitCode() >= 0)
		logFile.Close()
		close(exited)
	}()
	in.cmd, in.stdin, in.exited = cmd, stdin, exited

	timer := time.NewTimer(in.cfg.StartTimeout)
	defer timer.Stop()
	select {
	case <-ready:
	case <-exited:
		return fmt.Errorf("localneo4j: java exited during start-up; see %s", logPath)
	case <-timer.C:
		in.killLocked()
		return fmt.Errorf("localneo4j: Neo4j did not start within %s; see %s", in.cfg.StartTimeout, logPath)
	case <-ctx.Done():
		in.killLocked()
		return fmt.Errorf("localneo4j: start: %w", ctx.Err())
	}
	if err := Ping(ctx, in.URI(), 30*time.Second); err != nil {
		in.killLocked()
		return fmt.Errorf("localneo4j: %w; see %s", err, logPath)
	}
	fmt.Fprintf(in.cfg.Progress, "localneo4j: Neo4j %s ready at %s in %s (data %s)\n",
		Version(), in.URI(), time.Since(began).Round(100*time.Millisecond), in.cfg.DataDir)
	in.setState(StateRunning)
	go in.supervise(cmd, exited)
	return nil
}

func (in *Instance) killLocked() {
	if in.cmd != nil && in.cmd.Process != nil {
		_ = in.cmd.Process.Kill()
		<-in.exited
	}
}

// Stop shuts Neo4j down cleanly (SIGTERM, then a kill if it does not exit
// before ctx ends or 60s pass). Stopping a stopped instance does nothing.
func (in *Instance) Stop(ctx context.Context) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.stopping = true
	in.setState(StateStopped)
	if in.cmd == nil {
		return nil
	}
	select {
	case <-in.exited:
		return nil
	default:
	}
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(60 * time.Second)
	defer timer.Stop()
	select {
	case <-in.exited:
		return nil
	case <-timer.C:
	case <-ctx.Done():
	}
	_ = in.cmd.Process.Kill()
	<-in.exited
	return errors.New("localneo4j: Neo4j did not stop in time and was killed")
}

// Restart starts a stopped instance again, on the same port and data.
func (in *Instance) Restart(ctx context.Context) error {
	if err := in.Stop(ctx); err != nil {
		return err
	}
	return in.start(ctx)
}

// Ping waits until the Bolt server at uri answers `RETURN 1` (no auth).
func Ping(ctx context.Context, uri string, wait time.Duration) error {
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return fmt.Errorf("ping %s: %w", uri, err)
	}
	defer driver.Close(ctx)
	deadline := time.Now().Add(wait)
	for {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err = neo4j.ExecuteQuery(qctx, driver, "RETURN 1 AS one", nil, neo4j.EagerResultTransformer)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("ping %s: %w", uri, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// FreePort asks the kernel for a free TCP port on 127.0.0.1.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("localneo4j: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// Version is the Neo4j version the launcher's pom.xml pins.
func Version() string {
	const open, end = "<neo4j.version>", "</neo4j.version>"
	s := string(pomXML)
	i := strings.Index(s, open)
	j := strings.Index(s, end)
	if i < 0 || j < i {
		return "unknown"
	}
	return s[i+len(open) : j]
}

func javaBinary() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		p := filepath.Join(home, "bin", "java")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", errors.New("localneo4j: no `java` on PATH and no JAVA_HOME: install a JDK 17+ (Debian: openjdk-17-jdk-headless), or point NEO4J_URI at an existing Neo4j")
	}
	return p, nil
}

// ensureLauncher makes sure the Neo4j jars and the launcher's jar are in
// the cache and returns the Java class path and the cache folder. A file
// lock keeps concurrent test processes from resolving at the same time.
func ensureLauncher(ctx context.Context, cacheDir string, progress io.Writer) (classpath, dir string, err error) {
	sum := sha256.Sum256(append(append([]byte{}, pomXML...), launcherJava...))
	dir = filepath.Join(cacheDir, "neo4j-"+Version()+"-"+hex.EncodeToString(sum[:6]))
	lib, classes, jar := filepath.Join(dir, "lib"), filepath.Join(dir, "classes"), filepath.Join(dir, "launcher.jar")
	classpath = filepath.Join(lib, "*") + string(os.PathListSeparator) + jar
	done := filepath.Join(dir, "complete") // written last, after the jar
	if _, err := os.Stat(done); err == nil {
		return classpath, dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("localneo4j: create cache dir: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", "", fmt.Errorf("localneo4j: open cache lock: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", "", fmt.Errorf("localneo4j: lock cache: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(done); err == nil {
		return classpath, dir, nil // another process finished it while we waited
	}

	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return "", "", errors.New("localneo4j: the first start needs Maven (`mvn`) to fetch Neo4j's jars from Maven Central; install it (Debian: maven) or point NEO4J_URI at an existing Neo4j")
	}
	javac, err := exec.LookPath("javac")
	if err != nil {
		return "", "", errors.New("localneo4j: no `javac` on PATH: install a JDK 17+ (Debian: openjdk-17-jdk-headless)")
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"pom.xml", pomXML}, {"Launcher.java", launcherJava}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			return "", "", fmt.Errorf("localneo4j: write %s: %w", f.name, err)
		}
	}
	_ = os.RemoveAll(lib)
	_ = os.RemoveAll(classes)
	fmt.Fprintf(progress, "localneo4j: first start: fetching Neo4j %s jars from Maven Central into %s (about 125 MB, once)\n", Version(), dir)
	began := time.Now()
	mc := exec.CommandContext(ctx, mvn, "-B", "-f", filepath.Join(dir, "pom.xml"),
		"dependency:copy-dependencies", "-DincludeScope=runtime", "-DoutputDirectory="+lib)
	mc.Stdout, mc.Stderr = progress, progress
	if err := mc.Run(); err != nil {
		return "", "", fmt.Errorf("localneo4j: mvn dependency:copy-dependencies failed (see the output above): %w", err)
	}
	jc := exec.CommandContext(ctx, javac, "-encoding", "UTF-8", "-cp", filepath.Join(lib, "*"),
		"-d", classes, filepath.Join(dir, "Launcher.java"))
	jc.Stdout, jc.Stderr = progress, progress
	if err := jc.Run(); err != nil {
		return "", "", fmt.Errorf("localneo4j: javac Launcher.java failed: %w", err)
	}
	if err := launcherJar(classes, jar); err != nil {
		return "", "", fmt.Errorf("localneo4j: pack the launcher's jar: %w", err)
	}
	if err := os.WriteFile(done, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return "", "", fmt.Errorf("localneo4j: mark cache complete: %w", err)
	}
	fmt.Fprintf(progress, "localneo4j: jars ready in %s\n", time.Since(began).Round(100*time.Millisecond))
	return classpath, dir, nil
}
