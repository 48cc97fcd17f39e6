package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Keyset cursors name a row of a list (a root list, a nested connection,
// search) by its sort values and id (domain.Keyset), so that the next
// page starts after that row wherever inserts and deletes have moved it. They are base64url of "k:" and JSON.

type keyCursor struct {
	Order  string `json:"o"`
	Values []any  `json:"v"`
	ID     string `json:"i"`
	Offset int    `json:"n"`
}

// EncodeKeyCursor makes the opaque cursor of the row at k.
func EncodeKeyCursor(k *domain.Keyset) string {
	vals := k.Values
	if vals == nil {
		vals = []any{}
	}
	b, _ := json.Marshal(keyCursor{Order: k.Order, Values: vals, ID: k.ID, Offset: k.Offset})
	return base64.RawURLEncoding.EncodeToString(append([]byte("k:"), b...))
}

// DecodeListCursor reads a root list's cursor: a keyset cursor (key set),
// or an offset cursor of before (offset: the position after it).
func DecodeListCursor(cursor string) (offset int, key *domain.Keyset, err error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(b), "k:") {
		offset, err = DecodeCursor(cursor)
		return offset, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b[2:]))
	dec.UseNumber()
	var kc keyCursor
	if err := dec.Decode(&kc); err != nil || kc.ID == "" || kc.Offset < 0 {
		return 0, nil, fmt.Errorf("not a cursor of this API")
	}
	for i, v := range kc.Values {
		switch x := v.(type) {
		case string, bool:
		case json.Number: // an integer (a count, an order), or a search's score
			if n, err := x.Int64(); err == nil {
				kc.Values[i] = n
				continue
			}
			f, err := x.Float64()
			if err != nil {
				return 0, nil, fmt.Errorf("not a cursor of this API")
			}
			kc.Values[i] = f
		default:
			return 0, nil, fmt.Errorf("not a cursor of this API")
		}
	}
	return 0, &domain.Keyset{Order: kc.Order, Values: kc.Values, ID: kc.ID, Offset: kc.Offset}, nil
}
