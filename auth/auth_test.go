package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/domain"
)

func TestKeyring(t *testing.T) {
	key, err := auth.NewKey()
	if err != nil || !strings.HasPrefix(key, "phk_") || len(key) < 40 {
		t.Fatalf("NewKey = %q, %v", key, err)
	}
	k, err := auth.ParseKeyring("# team\nalice:editor:" + auth.HashKey(key) + ",bob:admin:" + auth.HashKey("other"))
	if err != nil || k.Len() != 2 {
		t.Fatalf("ParseKeyring: %v (%d keys)", err, k.Len())
	}
	t.Run("Ensure a known key authenticates as its name and role, and others do not", func(t *testing.T) {
		p, ok := k.Authenticate(key)
		if !ok || p.Name != "alice" || p.Role != auth.RoleEditor {
			t.Fatalf("got %+v %v", p, ok)
		}
		for _, bad := range []string{"", key + "x", strings.ToUpper(key), auth.HashKey(key)} {
			if _, ok := k.Authenticate(bad); ok {
				t.Fatalf("%q authenticated", bad)
			}
		}
	})
	t.Run("Ensure the keyring holds hashes, not keys", func(t *testing.T) {
		if strings.Contains(auth.HashKey(key), key) || len(auth.HashKey(key)) != 64 {
			t.Fatal("HashKey does not hash")
		}
	})
	t.Run("Ensure bad entries are refused with the reason", func(t *testing.T) {
		for spec, want := range map[string]string{
			"alice:editor":                    "name:role:sha256hex",
			"alice:boss:" + auth.HashKey("x"): "not a role",
			"alice:editor:abc":                "64 hex digits",
		} {
			if _, err := auth.ParseKeyring(spec); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q: %v", spec, err)
			}
		}
	})
	t.Run("Ensure roles are ordered: no key is UNAUTHENTICATED, a lower role FORBIDDEN", func(t *testing.T) {
		ctx := context.Background()
		if domain.ErrorCode(auth.Require(ctx, auth.RoleReader)) != domain.EUNAUTHENTICATED {
			t.Fatal("anonymous passed")
		}
		ed := auth.WithPrincipal(ctx, &auth.Principal{Name: "e", Role: auth.RoleEditor})
		if auth.Require(ed, auth.RoleReader) != nil || auth.Require(ed, auth.RoleEditor) != nil || domain.ErrorCode(auth.Require(ed, auth.RoleAdmin)) != domain.EFORBIDDEN {
			t.Fatal("editor's rights are wrong")
		}
	})
}
