package model

// Relay connections, built by the GraphQL layer from the store's pages
// (domain.Page): one Go type serves every connection and every edge of the
// schema (gqlgen.yml binds them), and cursors are made and read here only.

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Connection is every Relay connection of the schema.
type Connection struct {
	Edges      []*Edge
	PageInfo   *PageInfo
	TotalCount int
}

// Edge is every edge of the schema. The node sits in the field named after
// its GraphQL type (Agency, Person, …), and in Node, Actor or Place.
type Edge struct {
	Cursor       string
	Relationship *domain.Relationship
	Other        domain.Node
	Direction    domain.Direction

	Node        domain.Node
	Actor       domain.Actor
	Place       domain.Place
	Agency      *domain.Agency
	Network     *domain.Network
	Person      *domain.Person
	Region      *domain.Region
	Province    *domain.Province
	District    *domain.District
	Subdistrict *domain.Subdistrict
	Venue       *domain.Venue
	Event       *domain.Event
	Session     *domain.AgendaSession
	Program     *domain.Program
	Side        *domain.StrategySide
	Source      *domain.Source
}

// NewEdge puts n into every field of the edge that fits it.
func NewEdge(cursor string, n domain.Entitied, rel *domain.Relationship) *Edge {
	e := &Edge{Cursor: cursor, Relationship: rel, Node: n}
	if a, ok := n.(domain.Actor); ok {
		e.Actor = a
	}
	if p, ok := n.(domain.Place); ok {
		e.Place = p
	}
	switch v := n.(type) {
	case *domain.Agency:
		e.Agency = v
	case *domain.Network:
		e.Network = v
	case *domain.Person:
		e.Person = v
	case *domain.Region:
		e.Region = v
	case *domain.Province:
		e.Province = v
	case *domain.District:
		e.District = v
	case *domain.Subdistrict:
		e.Subdistrict = v
	case *domain.Venue:
		e.Venue = v
	case *domain.Event:
		e.Event = v
	case *domain.AgendaSession:
		e.Session = v
	case *domain.Program:
		e.Program = v
	case *domain.StrategySide:
		e.Side = v
	case *domain.Source:
		e.Source = v
	}
	return e
}

// PageInfo is Relay's page info.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// NewConnection is the Relay connection of a page (nil: an empty one).
func NewConnection(p *domain.Page) *Connection {
	if p == nil {
		return &Connection{Edges: []*Edge{}, PageInfo: &PageInfo{}}
	}
	c := &Connection{TotalCount: p.Total, Edges: make([]*Edge, len(p.Items))}
	for i, it := range p.Items {
		cursor := EncodeCursor(p.Offset + i)
		if it.Key != nil {
			cursor = EncodeKeyCursor(it.Key)
		}
		e := NewEdge(cursor, it.Node, it.Relationship)
		if it.Relationship != nil {
			e.Other, e.Direction = it.Node, it.Direction
		}
		c.Edges[i] = e
	}
	c.PageInfo = &PageInfo{HasNextPage: p.More, HasPreviousPage: p.Offset > 0}
	if len(c.Edges) > 0 {
		c.PageInfo.StartCursor = &c.Edges[0].Cursor
		c.PageInfo.EndCursor = &c.Edges[len(c.Edges)-1].Cursor
	}
	return c
}

// EncodeCursor makes the opaque cursor of the item at offset.
func EncodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

// DecodeCursor returns the offset after the item the cursor names.
func DecodeCursor(cursor string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(b), "o:") {
		return 0, fmt.Errorf("not a cursor of this API")
	}
	n, err := strconv.Atoi(string(b[2:]))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a cursor of this API")
	}
	return n + 1, nil
}
