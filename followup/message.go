package followup

import (
	"fmt"
	"strings"
)

// MessageBody is the follow-up SMS. It names the clinic and carries two
// links; it never names the procedure (health data, and SMS text sits on
// carriers' and phones' lock screens).
func MessageBody(clinicName, guideURL, bookingURL, clinicPhone string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: thanks for calling. Your preparation guide: %s", clinicName, guideURL)
	switch {
	case bookingURL != "":
		fmt.Fprintf(&b, " Book online: %s", bookingURL)
	case clinicPhone != "":
		fmt.Fprintf(&b, " To book, call %s", clinicPhone)
	}
	b.WriteString(" Reply STOP to opt out.")
	return b.String()
}

// Keyword is what an inbound SMS asks for.
type Keyword int

const (
	KeywordNone Keyword = iota
	KeywordStop
	KeywordStart
)

// ParseKeyword reads Twilio's standard opt-out and opt-in keywords (the
// whole message, case and surrounding space ignored, as Twilio does).
func ParseKeyword(body string) Keyword {
	switch strings.ToUpper(strings.TrimSpace(body)) {
	case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT":
		return KeywordStop
	case "START", "UNSTOP", "YES":
		return KeywordStart
	}
	return KeywordNone
}

// MaskPhone keeps the country code's first digits and the last two, for
// operators who must tell numbers apart without reading them.
func MaskPhone(p string) string {
	if len(p) < 6 {
		return strings.Repeat("•", len(p))
	}
	return p[:3] + strings.Repeat("•", len(p)-5) + p[len(p)-2:]
}
