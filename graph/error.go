package graph

import (
	"errors"
	"fmt"
)

// Error codes. They are translated once, at the edge (CLI exit message, GraphQL
// extensions.code), never compared as strings elsewhere.
const (
	ECONFLICT    = "conflict" // input disagrees with what the store holds
	EINTERNAL    = "internal" // a failure the caller cannot fix
	EINVALID     = "invalid"  // input is malformed
	ENOTFOUND    = "not_found"
	EUNAVAILABLE = "unavailable" // the store cannot be reached
)

// Error is a domain error with a code and a message meant for the user.
type Error struct {
	Code    string
	Message string
}

// Error returns the message alone: it is written for the user, and the code is for
// programs (ErrorCode).
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of err: the *Error's message, or a generic
// text for internal errors, whose details must only be logged.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
