// Package pii owns frontdesk's offline personal-data handling: it finds
// personal data in call transcripts and tool-call fields (rules with
// checksums, context words, embedded name and medical lexicons; no model, no
// network), and it decides how each field is routed (contact in clear,
// identity and medical encrypted, payment never stored) and what an LLM may
// see.
//
// Text from speech-to-text is normalised first ("oh seven seven double
// five" becomes "07755", "jane dot doe at gmail dot com" becomes
// "jane.doe@gmail.com"); every entity is reported with offsets into the
// original text, counted in Unicode code points, end exclusive, because
// that is what `frontdesk pii scan` promises its consumers.
//
// The package never logs, stores or returns the values it finds except as
// offsets into the caller's own text.
package pii
