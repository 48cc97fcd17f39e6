package model

// Relay connections, built by the GraphQL layer from the store's pages
// (domain.Page): one generic type serves every connection and one every
// edge of the schema, and cursors are made and read here only.

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Connection is a Relay connection of nodes of type N; the schema's
// connection types are its instances, named below.
type Connection[N any] struct {
	Edges      []*Edge[N]
	PageInfo   *PageInfo
	TotalCount int
}

// Edge is an edge of a Connection. Typed edges keep the relationship that
// led to the node; the edges of Node.relationships have the relationship
// as their node, with the other end and the direction seen from the node
// asked about.
type Edge[N any] struct {
	Cursor       string
	Node         N
	Relationship *domain.Relationship
	Other        domain.Node
	Direction    domain.Direction
}

// The schema's connection and edge types (gqlgen binds them by name).
type (
	NodeConnection         = Connection[domain.Node]
	NodeEdge               = Edge[domain.Node]
	ActorConnection        = Connection[domain.Actor]
	ActorEdge              = Edge[domain.Actor]
	AgencyConnection       = Connection[*domain.Agency]
	AgencyEdge             = Edge[*domain.Agency]
	NetworkConnection      = Connection[*domain.Network]
	NetworkEdge            = Edge[*domain.Network]
	PersonConnection       = Connection[*domain.Person]
	PersonEdge             = Edge[*domain.Person]
	RegionConnection       = Connection[*domain.Region]
	RegionEdge             = Edge[*domain.Region]
	ProvinceConnection     = Connection[*domain.Province]
	ProvinceEdge           = Edge[*domain.Province]
	DistrictConnection     = Connection[*domain.District]
	DistrictEdge           = Edge[*domain.District]
	SubdistrictConnection  = Connection[*domain.Subdistrict]
	SubdistrictEdge        = Edge[*domain.Subdistrict]
	EventConnection        = Connection[*domain.Event]
	EventEdge              = Edge[*domain.Event]
	ProgramConnection      = Connection[*domain.Program]
	ProgramEdge            = Edge[*domain.Program]
	SourceConnection       = Connection[*domain.Source]
	SourceEdge             = Edge[*domain.Source]
	RelationshipConnection = Connection[*domain.Relationship]
	RelationshipEdge       = Edge[*domain.Relationship]
)

// PageInfo is Relay's page info.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// NewConnection is the Relay connection of a page (nil: an empty one).
// An item's node is its node when that is an N, else its relationship
// (the connections of relationships).
func NewConnection[N any](p *domain.Page) *Connection[N] {
	if p == nil {
		return &Connection[N]{Edges: []*Edge[N]{}, PageInfo: &PageInfo{}}
	}
	c := &Connection[N]{TotalCount: p.Total, Edges: make([]*Edge[N], len(p.Items))}
	for i, it := range p.Items {
		e := &Edge[N]{Cursor: EncodeCursor(p.Offset + i), Relationship: it.Relationship}
		if it.Key != nil {
			e.Cursor = EncodeKeyCursor(it.Key)
		}
		if n, ok := any(it.Node).(N); ok {
			e.Node = n
		} else if r, ok := any(it.Relationship).(N); ok {
			e.Node = r
		}
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
