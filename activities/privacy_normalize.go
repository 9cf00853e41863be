package activities

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"

	"github.com/frontdesk/frontdesk/store"
)

// fieldKey folds "callback_number", "callbackNumber" and "Callback-Number"
// to one key, as pii does.
func fieldKey(field string) string {
	var b strings.Builder
	for _, r := range field {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// The patient columns tool-call fields fill. A field routed as contact or
// identity but not named here stays inside the encrypted turn.
var (
	nameFields     = map[string]bool{"callername": true, "patientname": true, "name": true, "fullname": true}
	phoneFields    = map[string]bool{"callbacknumber": true, "phone": true, "phonenumber": true, "mobile": true, "mobilenumber": true, "telephone": true, "from": true}
	emailFields    = map[string]bool{"email": true, "emailaddress": true}
	dobFields      = map[string]bool{"dateofbirth": true, "dob": true, "birthdate": true}
	nationalFields = map[string]bool{"nhsnumber": true, "nationalid": true, "ssn": true, "ninumber": true, "nationalinsurancenumber": true}
	insuranceField = map[string]bool{"insurancenumber": true, "insuranceid": true, "membernumber": true, "memberid": true, "policynumber": true}
)

// phoneRegions are tried in order for a number without a country code.
var phoneRegions = []string{"GB", "US", "IE"}

// setContact puts a contact value in its clear column when it normalises:
// a name of reasonable length, a valid phone number as E.164, an e-mail
// address. It answers the patient field it filled (store.Field*), or ""
// when it did not (a value that does not normalise, or a second value for
// a field another tool field of the turn already filled differently).
func setContact(p *store.PatientFields, field, value string) string {
	k := fieldKey(field)
	switch {
	case nameFields[k]:
		if n := strings.Join(strings.Fields(value), " "); n != "" && len(n) <= 200 {
			return fill(&p.Name, n, store.FieldName)
		}
	case phoneFields[k]:
		if e164, ok := normalisePhone(value); ok {
			return fill(&p.Phone, e164, store.FieldPhone)
		}
	case emailFields[k]:
		if a, err := mail.ParseAddress(strings.TrimSpace(value)); err == nil && a.Name == "" && len(a.Address) <= 254 {
			return fill(&p.Email, strings.ToLower(a.Address), store.FieldEmail)
		}
	}
	return ""
}

// fill sets *dst to v unless it holds another value already.
func fill(dst *string, v, name string) string {
	if *dst != "" && *dst != v {
		return ""
	}
	*dst = v
	return name
}

// normalisePhone accepts a valid number, or failing that a possible one
// (the right length for its country): Ofcom's drama ranges, which the demo
// and the tests use, are possible but not "valid" in libphonenumber's data.
func normalisePhone(v string) (string, bool) {
	for _, check := range []func(*phonenumbers.PhoneNumber) bool{phonenumbers.IsValidNumber, phonenumbers.IsPossibleNumber} {
		for _, region := range phoneRegions {
			n, err := phonenumbers.Parse(v, region)
			if err == nil && check(n) {
				return phonenumbers.Format(n, phonenumbers.E164), true
			}
		}
	}
	return "", false
}

// setIdentity puts an identifier in its encrypted column, normalised so
// its blind index matches however it was said; it answers the patient
// field it filled, or "".
func setIdentity(p *store.PatientFields, field, value string) string {
	k := fieldKey(field)
	switch {
	case dobFields[k]:
		if d, ok := normaliseDate(value); ok {
			return fill(&p.DateOfBirth, d, store.FieldDateOfBirth)
		}
	case nationalFields[k]:
		if id, ok := normaliseID(value); ok {
			return fill(&p.NationalID, id, store.FieldNationalID)
		}
	case insuranceField[k]:
		if id, ok := normaliseID(value); ok {
			return fill(&p.InsuranceID, id, store.FieldInsuranceID)
		}
	}
	return ""
}

var idShape = regexp.MustCompile(`^[A-Z0-9]{6,20}$`)

func normaliseID(v string) (string, bool) {
	id := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' || r == '/' {
			return -1
		}
		return unicode.ToUpper(r)
	}, strings.TrimSpace(v))
	return id, idShape.MatchString(id)
}

var ordinal = regexp.MustCompile(`(?i)\b(\d{1,2})(st|nd|rd|th)\b`)

var dateLayouts = []string{
	"2006-01-02", "02/01/2006", "2/1/2006", "02.01.2006", "2.1.2006", "02-01-2006",
	"2 January 2006", "2 Jan 2006", "January 2 2006", "Jan 2 2006", "January 2, 2006", "Jan 2, 2006", "2 January, 2006",
}

// normaliseDate reads a date of birth as UK callers say it (day first) and
// renders it YYYY-MM-DD. Dates in the future or before 1900 do not count.
func normaliseDate(v string) (string, bool) {
	s := ordinal.ReplaceAllString(strings.Join(strings.Fields(v), " "), "$1")
	s = strings.ReplaceAll(strings.TrimSpace(s), " of ", " ")
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err == nil && t.Year() >= 1900 && t.Before(time.Now()) {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}
