package regent

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in httpapi; the set is deliberately small.
const (
	EINVALID      = "invalid"      // the input is wrong; Fields says where
	EUNAUTHORIZED = "unauthorized" // no valid session
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	ENOTFOUND     = "not_found"    // no such thing, or the caller may not know it exists
	ECONFLICT     = "conflict"     // a unique name is taken or the record changed meanwhile
	EINTERNAL     = "internal"     // our fault; details go to the log, never to the caller
)

// Error is the domain's error. Code is one of the E* constants and decides the HTTP status;
// Reason, when set, is a finer machine-readable reason (for example "impersonation_disabled")
// that clients branch on; Message is safe to show to the user.
type Error struct {
	Code    string
	Reason  string
	Message string
	// Fields maps an input field to what is wrong with it, for EINVALID.
	Fields map[string]string
	// Extra holds additional members for the problem document (for example "loginUrl").
	Extra map[string]any
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("regent error: code=%s reason=%s message=%s", e.Code, e.Reason, e.Message)
}

// Errorf returns an *Error with the given code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error carrying field messages.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "The request has invalid fields.", Fields: fields}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and EINTERNAL otherwise.
// A nil error has no code.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err if it is an *Error, and a generic text
// otherwise, so internal details never reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
