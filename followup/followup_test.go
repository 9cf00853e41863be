package followup_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
)

func TestRenderGuideReadsBackWithPdftotext(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not installed: run `make test` (it installs poppler-utils) or apt-get install poppler-utils")
	}
	g := followup.Guide{
		Title: "Colonoscopy", DurationMinutes: 45, Version: 3,
		Preparation: []string{"Eat a low-fibre diet for two days before.", "Drink only clear fluids — no coffee."},
		ClinicName:  "Northgate Clinic", ClinicAddress: "12 Northgate Street, Leeds LS1 4AB", ClinicPhone: "+441632960001",
		BookingURL: "https://book.example.org/northgate",
	}
	pdf, err := followup.RenderGuide(g)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
	again, err := followup.RenderGuide(g)
	require.NoError(t, err)
	require.Equal(t, pdf, again, "one procedure version renders to the same bytes")

	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	require.NoError(t, err)
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Northgate Clinic", "12 Northgate Street, Leeds LS1 4AB", "+441632960001",
		"Preparing for your Colonoscopy", "about 45 minutes", "1. Eat a low-fibre diet for two days before.",
		"2. Drink only clear fluids — no coffee.", "https://book.example.org/northgate", "version 3"} {
		require.Contains(t, text, want)
	}
}

func TestLinkSignVerify(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, err := followup.NewSigner([]byte("0123456789abcdef0123456789abcdef"), clock)
	require.NoError(t, err)
	l := followup.Link{Purpose: followup.PurposeGuide, OrgID: uuid.New(), ProcedureID: uuid.New(), Version: 2, Expires: now.Add(followup.DefaultLinkTTL)}
	tok := s.Sign(l)
	require.Less(t, len(tok), 90, "tokens go into SMS: keep them short")
	got, err := s.Verify(tok, followup.PurposeGuide)
	require.NoError(t, err)
	require.Equal(t, l.OrgID, got.OrgID)
	require.Equal(t, l.ProcedureID, got.ProcedureID)
	require.Equal(t, 2, got.Version)
	require.True(t, l.Expires.Equal(got.Expires))

	// Every single-character change is refused as a bad link, never as expired.
	for i := range tok {
		b := []byte(tok)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		_, err := s.Verify(string(b), followup.PurposeGuide)
		require.ErrorIs(t, err, followup.ErrBadLink, "position %d", i)
	}
	// A link has one spelling: the last character's unused low bits are
	// part of it (FuzzDocumentLink found a lax decoder taking four).
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	accepted := 0
	for _, c := range alphabet {
		if _, err := s.Verify(tok[:len(tok)-1]+string(c), followup.PurposeGuide); err == nil {
			accepted++
		}
	}
	require.Equal(t, 1, accepted, "spellings of the last character accepted")
	_, err = s.Verify(tok, followup.PurposeGuide+1)
	require.ErrorIs(t, err, followup.ErrBadLink, "a link for another purpose")
	other, _ := followup.NewSigner([]byte("another-secret-another-secret!!"), clock)
	_, err = other.Verify(tok, followup.PurposeGuide)
	require.ErrorIs(t, err, followup.ErrBadLink, "another key")
	_, err = s.Verify("", followup.PurposeGuide)
	require.ErrorIs(t, err, followup.ErrBadLink)

	now = l.Expires
	_, err = s.Verify(tok, followup.PurposeGuide)
	require.ErrorIs(t, err, followup.ErrLinkExpired)

	_, err = followup.NewSigner([]byte("short"), nil)
	require.Error(t, err)
}

func TestMessageBodyCarriesNoProcedure(t *testing.T) {
	body := followup.MessageBody("Northgate Clinic", "https://fd.example/d/TOKEN", "https://book.example.org/x", "+441632960001")
	require.Contains(t, body, "Northgate Clinic")
	require.Contains(t, body, "https://fd.example/d/TOKEN")
	require.Contains(t, body, "https://book.example.org/x")
	require.Contains(t, body, "STOP")
	require.NotContains(t, strings.ToLower(body), "colonoscopy")
	require.Contains(t, followup.MessageBody("C", "u", "", "+441632960001"), "call +441632960001")
}

func TestParseKeyword(t *testing.T) {
	for in, want := range map[string]followup.Keyword{
		"STOP": followup.KeywordStop, " stop ": followup.KeywordStop, "StopAll": followup.KeywordStop, "unsubscribe": followup.KeywordStop,
		"CANCEL": followup.KeywordStop, "end": followup.KeywordStop, "quit": followup.KeywordStop,
		"START": followup.KeywordStart, "unstop": followup.KeywordStart, "yes": followup.KeywordStart,
		"stop please": followup.KeywordNone, "hello": followup.KeywordNone, "": followup.KeywordNone,
	} {
		require.Equal(t, want, followup.ParseKeyword(in), "%q", in)
	}
	require.Equal(t, "+44••••••••23", followup.MaskPhone("+447700900123"))
}

const (
	acct  = "AC0123456789abcdef0123456789abcdef"
	token = "faketoken123"
)

func TestTwilioSenderAgainstFake(t *testing.T) {
	fake := twiliofake.New(acct, token)
	defer fake.Close()
	s, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: acct, AuthToken: token, BaseURL: fake.URL})
	require.NoError(t, err)
	ctx := context.Background()
	m := followup.Message{To: "+447700900123", From: "+15005550006", Body: "hello", StatusCallback: "https://fd.example/twilio/sms-status"}

	fake.FailNext(twiliofake.Failure{HTTPStatus: 429, Code: 20429, Message: "Too Many Requests", RetryAfter: 3},
		twiliofake.Failure{HTTPStatus: 500, Code: 20500, Message: "Internal Server Error"})
	_, err = s.Send(ctx, m)
	var se *followup.SendError
	require.True(t, errors.As(err, &se), "%v", err)
	require.True(t, se.Retryable())
	require.Equal(t, 429, se.HTTPStatus)
	require.Equal(t, 3*time.Second, se.RetryAfter)
	_, err = s.Send(ctx, m)
	require.True(t, errors.As(err, &se))
	require.True(t, se.Retryable())
	require.Equal(t, 500, se.HTTPStatus)
	require.Zero(t, se.RetryAfter)

	_, found, err := s.Find(ctx, m, time.Now())
	require.NoError(t, err)
	require.False(t, found)

	sent, err := s.Send(ctx, m)
	require.NoError(t, err)
	require.Regexp(t, `^SM[0-9a-f]{32}$`, sent.SID)
	require.Equal(t, "queued", sent.Status)
	msgs := fake.Messages()
	require.Len(t, msgs, 1)
	require.Equal(t, m.To, msgs[0].To)
	require.Equal(t, m.From, msgs[0].From)
	require.Equal(t, m.Body, msgs[0].Body)
	require.Equal(t, m.StatusCallback, msgs[0].StatusCallback)

	got, found, err := s.Find(ctx, m, time.Now())
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, sent.SID, got.SID)
	_, found, err = s.Find(ctx, followup.Message{To: m.To, From: m.From, Body: "another"}, time.Now())
	require.NoError(t, err)
	require.False(t, found)

	_, err = s.Send(ctx, followup.Message{To: "12345", From: m.From, Body: "x"})
	require.True(t, errors.As(err, &se))
	require.False(t, se.Retryable())
	require.Equal(t, followup.CodeInvalidTo, se.Code)

	fake.FailNext(twiliofake.Failure{HTTPStatus: 400, Code: followup.CodeUnsubscribed, Message: "Attempt to send to unsubscribed recipient"})
	_, err = s.Send(ctx, m)
	require.True(t, errors.As(err, &se))
	require.False(t, se.Retryable())
	require.Equal(t, followup.CodeUnsubscribed, se.Code)

	bad, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: acct, AuthToken: "wrongtoken", BaseURL: fake.URL})
	require.NoError(t, err)
	_, err = bad.Send(ctx, m)
	require.True(t, errors.As(err, &se))
	require.Equal(t, 401, se.HTTPStatus)
	require.False(t, se.Retryable())
}
