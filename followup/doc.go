// Package followup owns what a caller who hung up unbooked receives: the
// procedure's preparation guide as a PDF (rendered with fpdf), the signed,
// expiring link that serves it, the SMS text (which names the clinic and
// never the procedure: a procedure name is health data), the Twilio sender
// with its error classification, and the STOP/START keywords.
package followup
