// Package auth holds API keys and roles. Keys are stored as SHA-256 hashes
// and checked in constant time; a request carries one as
// `Authorization: Bearer <key>` (or in the websocket connection_init
// payload). Roles are ordered: reader < editor < admin.
package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Role is what a key may do.
type Role int

const (
	RoleNone Role = iota
	RoleReader
	RoleEditor
	RoleAdmin
)

// roleNames are the roles' names, by role: keyrings and messages write
// them in lower case, GraphQL (the Role enum) in upper case.
var roleNames = [...]string{RoleNone: "none", RoleReader: "reader", RoleEditor: "editor", RoleAdmin: "admin"}

// ParseRole reads a role name (reader, editor, admin; any case).
func ParseRole(s string) (Role, error) {
	for r := RoleReader; r <= RoleAdmin; r++ {
		if strings.EqualFold(strings.TrimSpace(s), roleNames[r]) {
			return r, nil
		}
	}
	return RoleNone, fmt.Errorf("%q is not a role (reader, editor or admin)", s)
}

func (r Role) String() string {
	if r < RoleNone || r > RoleAdmin {
		return "none"
	}
	return roleNames[r]
}

// MarshalGQL writes the role's name in the GraphQL Role enum.
func (r Role) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(strings.ToUpper(r.String())))
}

// UnmarshalGQL reads a name of the GraphQL Role enum: READER, EDITOR or
// ADMIN.
func (r *Role) UnmarshalGQL(v any) error {
	name, _ := v.(string)
	for role := RoleReader; role <= RoleAdmin; role++ {
		if name == strings.ToUpper(roleNames[role]) {
			*r = role
			return nil
		}
	}
	return domain.Invalid("role", "%v is not a Role (READER, EDITOR or ADMIN)", v)
}

// Principal is who a request acts as.
type Principal struct {
	Name string
	Role Role
}

type entry struct {
	name string
	role Role
	hash [sha256.Size]byte
}

// Keyring is the set of known keys, by hash.
type Keyring struct{ entries []entry }

// HashKey is the hex SHA-256 of a key, as a keyring stores it.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// NewKey makes a random key: "phk_" and 32 random bytes, base64url.
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "phk_" + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// ParseKeyring reads entries "name:role:sha256hex", separated by commas or
// new lines; blank lines and lines starting with # are skipped.
func ParseKeyring(spec string) (*Keyring, error) {
	k := &Keyring{}
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(spec, ",", "\n")))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("API key entry %d: want name:role:sha256hex", line)
		}
		role, err := ParseRole(parts[1])
		if err != nil {
			return nil, fmt.Errorf("API key entry %d (%s): %w", line, parts[0], err)
		}
		raw, err := hex.DecodeString(strings.TrimPrefix(parts[2], "sha256="))
		if err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("API key entry %d (%s): the hash must be 64 hex digits (phakhi hash-key KEY prints it)", line, parts[0])
		}
		e := entry{name: parts[0], role: role}
		copy(e.hash[:], raw)
		k.entries = append(k.entries, e)
	}
	return k, sc.Err()
}

// Len is the number of keys.
func (k *Keyring) Len() int {
	if k == nil {
		return 0
	}
	return len(k.entries)
}

// Authenticate finds the principal of a presented key. Every entry is
// compared, in constant time, whether or not one matched earlier.
func (k *Keyring) Authenticate(key string) (*Principal, bool) {
	if k == nil || key == "" {
		return nil, false
	}
	sum := sha256.Sum256([]byte(key))
	var found *Principal
	for _, e := range k.entries {
		if subtle.ConstantTimeCompare(sum[:], e.hash[:]) == 1 && found == nil {
			found = &Principal{Name: e.name, Role: e.role}
		}
	}
	return found, found != nil
}

type principalKey struct{}

// WithPrincipal puts the principal in the context.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext is the request's principal, or nil for an anonymous one.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Require checks that the request acts with at least role.
func Require(ctx context.Context, role Role) error {
	p := FromContext(ctx)
	if p == nil {
		return &domain.Error{Code: domain.EUNAUTHENTICATED, Message: fmt.Sprintf("this needs an API key with the %s role: send Authorization: Bearer <key>", role)}
	}
	if p.Role < role {
		return &domain.Error{Code: domain.EFORBIDDEN, Message: fmt.Sprintf("the key %q has the %s role; this needs %s", p.Name, p.Role, role)}
	}
	return nil
}

// BearerToken takes the key out of an Authorization header value.
func BearerToken(header string) (string, bool) {
	const prefix = "bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(header[len(prefix):]), true
}
