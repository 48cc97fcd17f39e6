package auth_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/domain"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
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

func TestRoleNames(t *testing.T) {
	t.Run("Ensure every Role of the schema reads to its role, in order, and writes back", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("..", "schema.graphqls"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parser.ParseSchema(&ast.Source{Name: "schema.graphqls", Input: string(b)})
		if err != nil {
			t.Fatal(err)
		}
		def := doc.Definitions.ForName("Role")
		if def == nil || def.Kind != ast.Enum {
			t.Fatal("schema.graphqls has no enum Role")
		}
		want := []auth.Role{auth.RoleReader, auth.RoleEditor, auth.RoleAdmin}
		if len(def.EnumValues) != len(want) {
			t.Fatalf("the schema's Role has %d values, auth %d roles", len(def.EnumValues), len(want))
		}
		for i, v := range def.EnumValues {
			var r auth.Role
			if err := r.UnmarshalGQL(v.Name); err != nil || r != want[i] {
				t.Fatalf("UnmarshalGQL(%s) = %v, %v; want %v", v.Name, r, err, want[i])
			}
			var out bytes.Buffer
			r.MarshalGQL(&out)
			if out.String() != `"`+v.Name+`"` {
				t.Errorf("%v is written %s, want %q", r, out.String(), v.Name)
			}
		}
	})
	t.Run("Ensure a name that is not a GraphQL Role is refused", func(t *testing.T) {
		for _, v := range []any{"NONE", "reader", "", 1} {
			var r auth.Role
			if err := r.UnmarshalGQL(v); domain.ErrorCode(err) != domain.EINVALID || r != auth.RoleNone {
				t.Errorf("UnmarshalGQL(%v) = %v, %v", v, r, err)
			}
		}
	})
	t.Run("Ensure keyring role names read in any case", func(t *testing.T) {
		for s, want := range map[string]auth.Role{"reader": auth.RoleReader, " Editor ": auth.RoleEditor, "ADMIN": auth.RoleAdmin} {
			if r, err := auth.ParseRole(s); err != nil || r != want || r.String() != strings.ToLower(strings.TrimSpace(s)) {
				t.Errorf("ParseRole(%q) = %v, %v", s, r, err)
			}
		}
		if _, err := auth.ParseRole("none"); err == nil {
			t.Error("none is a role")
		}
	})
}
