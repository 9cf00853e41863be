package pii

import (
	"sort"
	"strings"
	"unicode"
)

// Class is how a value is stored and shown, from least to most protected.
// Routing fails closed: an unknown field is medical, uncertain free text is
// medical, and detection can only raise a field's class, never lower it.
type Class string

const (
	// ClassOperational holds no personal data (call SIDs, slot ids, status).
	ClassOperational Class = "operational"
	// ClassContact is stored in clear (still tenant-isolated by RLS):
	// names, phone numbers, e-mail and postal addresses.
	ClassContact Class = "contact"
	// ClassIdentity is encrypted with an HMAC blind index for lookup:
	// dates of birth, NHS/SSN/NI numbers, insurance ids.
	ClassIdentity Class = "identity"
	// ClassMedical is Art. 9 health data: encrypted, no index.
	ClassMedical Class = "medical"
	// ClassPayment is never stored: card numbers and bank accounts. A
	// payment-class value may only be kept as its Redacted form.
	ClassPayment Class = "payment"
)

// rank orders classes by protection. Medical sits above identity (health
// data has no blind index) and payment on top (never stored at all), so
// raising to the maximum never weakens either.
func (c Class) rank() int {
	switch c {
	case ClassOperational:
		return 0
	case ClassContact:
		return 1
	case ClassIdentity:
		return 2
	case ClassMedical:
		return 3
	case ClassPayment:
		return 4
	}
	return 3 // unknown classes are treated as medical
}

// Raise returns the more protected of c and other. A class this package
// does not know counts as medical.
func (c Class) Raise(other Class) Class {
	c, other = c.known(), other.known()
	if other.rank() > c.rank() {
		return other
	}
	return c
}

func (c Class) known() Class {
	switch c {
	case ClassOperational, ClassContact, ClassIdentity, ClassMedical, ClassPayment:
		return c
	}
	return ClassMedical
}

// classOfCategory maps an entity category to the class it requires.
func classOfCategory(cat string) Class {
	switch cat {
	case CategoryContact:
		return ClassContact
	case CategoryIdentity:
		return ClassIdentity
	case CategoryFinancial:
		return ClassPayment
	}
	return ClassMedical
}

// fieldClasses names the tool-call fields and webhook parameters frontdesk
// knows. Keys are normalised by normalizeField.
var fieldClasses = map[string]Class{
	// contact
	"callbacknumber": ClassContact, "phone": ClassContact, "phonenumber": ClassContact,
	"mobile": ClassContact, "mobilenumber": ClassContact, "telephone": ClassContact,
	"callername": ClassContact, "patientname": ClassContact, "name": ClassContact,
	"firstname": ClassContact, "lastname": ClassContact, "surname": ClassContact,
	"fullname": ClassContact, "email": ClassContact, "emailaddress": ClassContact,
	"address": ClassContact, "streetaddress": ClassContact, "postcode": ClassContact,
	"zip": ClassContact, "zipcode": ClassContact, "city": ClassContact,
	"from": ClassContact, "caller": ClassContact, "callerid": ClassContact,
	"fromcity": ClassContact, "fromzip": ClassContact, "fromstate": ClassContact, "fromcountry": ClassContact,
	"callercity": ClassContact, "callerzip": ClassContact, "callerstate": ClassContact, "callercountry": ClassContact,
	// identity
	"dateofbirth": ClassIdentity, "dob": ClassIdentity, "birthdate": ClassIdentity,
	"nhsnumber": ClassIdentity, "ssn": ClassIdentity, "nationalid": ClassIdentity,
	"nationalinsurancenumber": ClassIdentity, "ninumber": ClassIdentity,
	"insurancenumber": ClassIdentity, "insuranceid": ClassIdentity, "membernumber": ClassIdentity,
	"memberid": ClassIdentity, "policynumber": ClassIdentity, "patientid": ClassIdentity,
	// payment
	"cardnumber": ClassPayment, "creditcard": ClassPayment, "creditcardnumber": ClassPayment,
	"cvv": ClassPayment, "cvc": ClassPayment, "cardexpiry": ClassPayment, "expirydate": ClassPayment,
	"iban": ClassPayment, "accountnumber": ClassPayment, "sortcode": ClassPayment, "bankaccount": ClassPayment,
	// medical
	"reasonforvisit": ClassMedical, "reason": ClassMedical, "symptoms": ClassMedical,
	"notes": ClassMedical, "note": ClassMedical, "transcript": ClassMedical,
	"medications": ClassMedical, "medication": ClassMedical, "allergies": ClassMedical,
	"conditions": ClassMedical, "procedure": ClassMedical, "treatment": ClassMedical,
	"message": ClassMedical, "summary": ClassMedical, "speechresult": ClassMedical,
	"transcriptiontext": ClassMedical, "body": ClassMedical,
	// operational: ids, timings and statuses that identify no one
	"callsid": ClassOperational, "accountsid": ClassOperational, "streamsid": ClassOperational,
	"messagesid": ClassOperational, "callstatus": ClassOperational, "direction": ClassOperational,
	"to": ClassOperational, "called": ClassOperational, "clinicid": ClassOperational,
	"orgid": ClassOperational, "slotid": ClassOperational, "holdid": ClassOperational,
	"practitionerid": ClassOperational, "starttime": ClassOperational, "endtime": ClassOperational,
	"duration": ClassOperational, "callduration": ClassOperational, "sequencenumber": ClassOperational,
	"timestamp": ClassOperational, "status": ClassOperational, "apiversion": ClassOperational,
	"outcome": ClassOperational, "language": ClassOperational,
}

// normalizeField folds "callback_number", "callbackNumber" and
// "Callback-Number" to one key.
func normalizeField(field string) string {
	var b strings.Builder
	for _, r := range field {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ClassifyField returns the class of a tool-call field or webhook
// parameter by its name alone. Unknown fields are medical: a field nobody
// classified may carry anything the caller said.
func ClassifyField(field string) Class {
	if c, ok := fieldClasses[normalizeField(field)]; ok {
		return c
	}
	return ClassMedical
}

// Decision is the routing verdict for one value. It carries entity types
// and counts, never the values themselves, so it may be logged.
type Decision struct {
	Field string `json:"field"`
	// Class is the final class: the field's class raised by what was
	// detected in the value.
	Class Class `json:"class"`
	// FieldClass is the class the field name alone implies.
	FieldClass Class `json:"field_class"`
	// Entities counts detected entities by type.
	Entities map[string]int `json:"entities,omitempty"`
	// Redacted is what an LLM may see: payment and id numbers masked.
	Redacted string `json:"-"`
}

// Types returns the detected entity types, sorted.
func (dec Decision) Types() []string {
	out := make([]string, 0, len(dec.Entities))
	for t := range dec.Entities {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// maskedForLLM lists the types an LLM never needs to read: it can book an
// appointment without repeating a card, bank account or id number, and a
// model that never saw one cannot leak it. Names, callback numbers and
// symptoms stay visible because the receptionist needs them.
var maskedForLLM = map[string]bool{
	TypeCreditCard: true, TypeIBAN: true, TypeNationalID: true, TypeInsuranceID: true,
}

// shortFieldWords: a contact or identity field holding more than this many
// words is free text, not the value the field names.
const shortFieldWords = 6

// Route decides the class of one field's value and what an LLM may see of
// it. The field's own class is a floor; each detected entity may raise it
// (a symptom in "caller_name" makes it medical, a card number anywhere
// makes it payment). A structured field that holds free text rather than
// its value is treated as medical. Identity and payment fields are masked
// whole for the LLM even when no entity is recognised, because a number
// the detector failed to validate is still a number.
func (d *Detector) Route(field, value string) Decision {
	fc := ClassifyField(field)
	dec := Decision{Field: field, Class: fc, FieldClass: fc}
	ents := d.Detect(value)
	for _, e := range ents {
		if dec.Entities == nil {
			dec.Entities = map[string]int{}
		}
		dec.Entities[e.Type]++
		dec.Class = dec.Class.Raise(classOfCategory(e.Category))
	}
	if (fc == ClassContact || fc == ClassIdentity || fc == ClassOperational) && looksLikeFreeText(value, ents) {
		dec.Class = dec.Class.Raise(ClassMedical)
	}
	switch fc {
	case ClassPayment:
		dec.Redacted = "[PAYMENT]"
	case ClassIdentity:
		dec.Redacted = "[" + strings.ToUpper(normalizeFieldLabel(field)) + "]"
	default:
		dec.Redacted = redact(value, ents)
	}
	return dec
}

// normalizeFieldLabel turns "nhs_number" into "NHS_NUMBER" for a mask.
func normalizeFieldLabel(field string) string {
	var b strings.Builder
	for _, r := range field {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "REDACTED"
	}
	return b.String()
}

// looksLikeFreeText: more words than a name, number or address takes once
// the detected entities are removed.
func looksLikeFreeText(value string, ents []Entity) bool {
	runes := []rune(value)
	var rest strings.Builder
	pos := 0
	for _, e := range ents {
		if e.Start > pos {
			rest.WriteString(string(runes[pos:e.Start]))
		}
		rest.WriteByte(' ')
		pos = e.End
	}
	if pos < len(runes) {
		rest.WriteString(string(runes[pos:]))
	}
	words := 0
	for _, w := range strings.Fields(rest.String()) {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			words++
		}
	}
	return words > shortFieldWords
}

// RedactForLLM masks the card, bank and id numbers in text as
// "[CREDIT_CARD]", "[IBAN_CODE]", "[NATIONAL_ID]", "[INSURANCE_ID]".
func (d *Detector) RedactForLLM(text string) string {
	return redact(text, d.Detect(text))
}

func redact(text string, ents []Entity) string {
	masked := false
	for _, e := range ents {
		if maskedForLLM[e.Type] {
			masked = true
			break
		}
	}
	if !masked {
		return text
	}
	runes := []rune(text)
	var b strings.Builder
	pos := 0
	for _, e := range ents {
		if !maskedForLLM[e.Type] {
			continue
		}
		b.WriteString(string(runes[pos:e.Start]))
		b.WriteString("[" + e.Type + "]")
		pos = e.End
	}
	b.WriteString(string(runes[pos:]))
	return b.String()
}
