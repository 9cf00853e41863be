package media

import (
	"errors"
	"fmt"
)

// Reasons a message is refused. Every Parse error wraps exactly one.
var (
	ErrTooLarge          = errors.New("message too large")
	ErrBadJSON           = errors.New("malformed JSON")
	ErrUnknownEvent      = errors.New("unknown event")
	ErrMissingField      = errors.New("missing field")
	ErrDuplicateField    = errors.New("duplicate field")
	ErrBadNumber         = errors.New("not a number of digits")
	ErrBadText           = errors.New("bad text field")
	ErrBadSID            = errors.New("bad SID")
	ErrBadTrack          = errors.New("bad track")
	ErrBadBase64         = errors.New("bad base64")
	ErrBadPayload        = errors.New("payload not whole frames, empty or too long")
	ErrBadDigit          = errors.New("bad DTMF digit")
	ErrBadMarkName       = errors.New("bad mark name")
	ErrUnsupportedFormat = errors.New("unsupported media format")
	ErrStreamMismatch    = errors.New("start.streamSid differs from streamSid")
	ErrRateLimited       = errors.New("too many messages")
)

var reasons = []struct {
	err   error
	label string
}{
	{ErrTooLarge, "too_large"},
	{ErrBadJSON, "bad_json"},
	{ErrUnknownEvent, "unknown_event"},
	{ErrMissingField, "missing_field"},
	{ErrDuplicateField, "duplicate_field"},
	{ErrBadNumber, "bad_number"},
	{ErrBadText, "bad_text"},
	{ErrBadSID, "bad_sid"},
	{ErrBadTrack, "bad_track"},
	{ErrBadBase64, "bad_base64"},
	{ErrBadPayload, "bad_payload"},
	{ErrBadDigit, "bad_digit"},
	{ErrBadMarkName, "bad_mark_name"},
	{ErrUnsupportedFormat, "unsupported_format"},
	{ErrStreamMismatch, "stream_mismatch"},
	{ErrRateLimited, "rate_limited"},
}

// Reason is a short, stable label for a refusal, for a metric label:
// "bad_base64", "missing_field", … It is "" for a nil error and "other"
// for an error that is not one of this package's.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.label
		}
	}
	return "other"
}

// ParseError says why and where a message was refused. Field is a JSON
// path such as "media.payload"; it never holds the field's value.
type ParseError struct {
	Err   error // one of the Err sentinels
	Field string
}

func (e *ParseError) Error() string {
	if e.Field == "" {
		return "media: " + e.Err.Error()
	}
	return fmt.Sprintf("media: %v: %s", e.Err, e.Field)
}

func (e *ParseError) Unwrap() error { return e.Err }

func fail(err error, field string) error { return &ParseError{Err: err, Field: field} }
