package testkit

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/auth"
)

// The tests' API keys, one per role: rita reads, eddie edits, ada
// administers.
const (
	ReaderKey = "phk_test_reader_key_0123456789"
	EditorKey = "phk_test_editor_key_0123456789"
	AdminKey  = "phk_test_admin_key_01234567890"
)

// KeyringSpec is the keyring of the three keys as PHAKHI_API_KEYS writes
// it (name:role:sha256).
func KeyringSpec() string {
	return strings.Join([]string{
		"rita:reader:" + auth.HashKey(ReaderKey),
		"eddie:editor:" + auth.HashKey(EditorKey),
		"ada:admin:" + auth.HashKey(AdminKey),
	}, ",")
}

// Keyring is the keyring of the three keys.
func Keyring(tb testing.TB) *auth.Keyring {
	tb.Helper()
	keys, err := auth.ParseKeyring(KeyringSpec())
	if err != nil {
		tb.Fatal(err)
	}
	return keys
}
