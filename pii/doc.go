// Package pii owns frontdesk's offline personal-data handling: it finds
// personal data in call transcripts and tool-call fields, and it decides how
// each field is routed (contact in clear, identity and medical encrypted,
// payment never stored) and what an LLM may see.
//
// Detection is by form, with cues from the context: national ids validated
// by their own check digits, dates of birth spoken or written either way
// round after a birth cue, names after introductions, titles and kinship
// words (open name lists of many origins widen the curated ones), drugs by
// their INN stems and beside doses and "I'm on", conditions and procedures
// as compounds around head nouns and suffixes. A small averaged-perceptron
// tagger, trained on the development sets and embedded, proposes medical
// spans no rule claimed, and a second perceptron, the span verifier,
// accepts or rejects each of them from its context (trained out of fold,
// so on the tagger's mistakes on text it never saw). Everything is
// embedded; nothing uses the network.
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
