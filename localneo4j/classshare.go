package localneo4j

// Class data sharing: the JVM maps the classes of an earlier run from an
// archive instead of loading, parsing and verifying them again. Neo4j
// loads some ten thousand classes as it starts; with the archive a start
// took 4.6–5.1 s of CPU instead of 6.7–7.9 s (C1-only test JVMs, three
// starts each, measured side by side at load 7), which every test
// package's Neo4j and every `go run .` gains.
//
// The archive is the JDK's dynamic one (-XX:ArchiveClassesAtExit): the
// first instance started from a cache folder that has none writes it as
// it exits, holding every class that run loaded (the Cypher planner's
// too); later starts map it (-XX:SharedArchiveFile). One instance at a
// time dumps, under an exclusive lock file. An archive the JVM cannot use
// (another JDK) is ignored by the JVM itself (-Xshare:auto, the default),
// so it never stops a start. The JDK archives classes from jars only,
// which is why the launcher is a jar (launcherJar, written when the jars
// are fetched; the cache folder is named by the launcher's source, so a
// folder from before the jar is never reused).

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

const (
	archiveName = "neo4j-classes.jsa"
	// staleDump is how old a dump's lock may grow before another instance
	// takes it over (its dumper died before it could clean up).
	staleDump = 30 * time.Minute
)

// classShare is one instance's part in the shared archive: the options it
// adds to the JVM, and what to do once that JVM has exited.
type classShare struct {
	options []string
	// dumping: the JVM writes tmp as it exits; finish renames it into
	// place (or drops it) and frees the lock.
	dumping   bool
	tmp, lock string
	final     string
}

// shareClasses decides how a JVM started from the cache folder dir uses
// the archive: map it if it is there, else write it if no other instance
// is writing it, else neither.
func shareClasses(dir string) *classShare {
	final := filepath.Join(dir, archiveName)
	if st, err := os.Stat(final); err == nil && st.Size() > 0 {
		return &classShare{options: []string{"-XX:SharedArchiveFile=" + final}}
	}
	lock := final + ".lock"
	if st, err := os.Stat(lock); err == nil && time.Since(st.ModTime()) > staleDump {
		_ = os.Remove(lock)
	}
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return &classShare{} // another instance is writing it
	}
	f.Close()
	tmp := final + ".tmp-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	return &classShare{
		options: []string{"-XX:ArchiveClassesAtExit=" + tmp},
		dumping: true, tmp: tmp, lock: lock, final: final,
	}
}

// finish runs after the JVM has exited: a dump that was written goes into
// place; the lock is freed either way, so a later instance may try again.
func (c *classShare) finish(cleanExit bool) {
	if !c.dumping {
		return
	}
	c.dumping = false
	if st, err := os.Stat(c.tmp); cleanExit && err == nil && st.Size() > 0 {
		_ = os.Rename(c.tmp, c.final)
	} else {
		_ = os.Remove(c.tmp)
	}
	_ = os.Remove(c.lock)
}

// launcherJar packs the compiled launcher (classes) into jar, the form
// class data sharing can archive. A jar is a zip file; archive/zip writes
// it, so no `jar` tool is needed beside javac.
func launcherJar(classes, jar string) error {
	out, err := os.CreateTemp(filepath.Dir(jar), ".launcher-*.jar")
	if err != nil {
		return err
	}
	tmp := out.Name()
	zw := zip.NewWriter(out)
	err = filepath.WalkDir(classes, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(classes, path)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(w, in)
		return err
	})
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, jar)
}
