package localneo4j

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// ArchiveName is the class archive's file name in a cache folder.
const ArchiveName = archiveName

// PrivateCache returns a cache folder of the test's own that shares the
// default cache's jars (linked, not fetched again) but none of its class
// archive, so a test sees an instance write the archive and the next map it.
// It returns the folder to set as Config.CacheDir and the folder the
// archive goes in.
func PrivateCache(tb testing.TB) (cacheDir, jarsDir string) {
	tb.Helper()
	cfg := Config{DataDir: tb.TempDir(), Progress: io.Discard}
	if err := cfg.withDefaults(); err != nil {
		tb.Fatal(err)
	}
	_, shared, err := ensureLauncher(context.Background(), cfg.CacheDir, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	cacheDir = tb.TempDir()
	jarsDir = filepath.Join(cacheDir, filepath.Base(shared))
	if err := os.Mkdir(jarsDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for _, name := range []string{"lib", "classes", "launcher.jar", "complete"} {
		if err := os.Symlink(filepath.Join(shared, name), filepath.Join(jarsDir, name)); err != nil {
			tb.Fatal(err)
		}
	}
	return cacheDir, jarsDir
}
