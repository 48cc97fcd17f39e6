package domain

import (
	"errors"
	"fmt"
)

// Error codes. The GraphQL layer maps them to extensions.code.
const (
	EINVALID         = "invalid"         // BAD_USER_INPUT
	ENOTFOUND        = "not_found"       // NOT_FOUND
	EUNAVAILABLE     = "unavailable"     // UNAVAILABLE
	ETIMEOUT         = "timeout"         // TIMEOUT
	ECONFLICT        = "conflict"        // CONFLICT
	ETOOLARGE        = "too_large"       // BAD_USER_INPUT (413 over plain HTTP)
	EUNAUTHENTICATED = "unauthenticated" // UNAUTHENTICATED
	EFORBIDDEN       = "forbidden"       // FORBIDDEN
	ESTALE           = "stale"           // STALE_VERSION
	EMEMORY          = "memory"          // MEMORY_LIMIT: Neo4j's memory for queries ran out
	EBUSY            = "busy"            // BUSY: the server is busy for this client now; Neo4j is up, retry shortly
	EINTERNAL        = "internal"        // INTERNAL_SERVER_ERROR
)

// Error is an error with a code, a message for people and, for bad input,
// the field at fault.
type Error struct {
	Code    string
	Field   string
	Message string
	Err     error
	// Extra goes into the GraphQL error's extensions.
	Extra map[string]any
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an Error with a code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid makes a bad-input Error naming the field and the reason.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap makes an Error with a code around a cause.
func Wrap(code, msg string, err error) *Error {
	return &Error{Code: code, Message: msg, Err: err}
}

// ErrorCode is the code of err, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
