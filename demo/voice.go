package demo

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/twiliosim"
)

// VoiceCall plays a caller over the real media stream, as Twilio carries a
// phone call: the signed voice webhook, the TwiML's <Stream> dialled with
// Twilio's signature, the caller's lines spoken by a synthesised voice
// (each once the agent has finished speaking), the agent's answers played
// and recorded, then the <Connect action> and the final status.
type VoiceCall struct {
	Twilio Twilio
	// To is the clinic's number; From the caller's.
	To, From string
	// Caller speaks the lines (flite's slt voice in the demo).
	Caller voice.Synthesizer
	Lines  []string
	// Out receives the running commentary; nil discards it.
	Out io.Writer
}

// VoiceTurn is one caller line and how long the caller waited for the
// answer (from the end of their speech to the agent's first audio heard).
type VoiceTurn struct {
	Line     string
	SaidAt   time.Time
	Answered time.Time
	Wait     time.Duration
}

// VoiceResult is what became of the call on the line.
type VoiceResult struct {
	CallSID string
	Turns   []VoiceTurn
	// Recording is the call in stereo at 8 kHz: caller left, agent right.
	Recording []int16
	// AfterStream is the TwiML Twilio got once the stream closed.
	AfterStream string
	// EndedByAgent: the agent closed the stream (goodbye or transfer).
	EndedByAgent bool
}

type connectTwiML struct {
	Connect struct {
		Action string `xml:"action,attr"`
		Stream struct {
			URL    string `xml:"url,attr"`
			Params []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"Parameter"`
		} `xml:"Stream"`
	} `xml:"Connect"`
}

// Run plays the call to its end.
func (v VoiceCall) Run(ctx context.Context) (VoiceResult, error) {
	out := v.Out
	if out == nil {
		out = io.Discard
	}
	callSID := NewCallSID()
	res := VoiceResult{CallSID: callSID}
	fmt.Fprintf(out, "▸ incoming call %s to %s\n", callSID, v.To)
	body, err := v.Twilio.Post(ctx, "/twilio/voice", url.Values{"CallSid": {callSID}, "From": {v.From}, "To": {v.To},
		"CallStatus": {"ringing"}, "Direction": {"inbound"}})
	if err != nil {
		return res, err
	}
	var doc connectTwiML
	if err := xml.Unmarshal([]byte(body), &doc); err != nil || doc.Connect.Stream.URL == "" {
		return res, fmt.Errorf("the voice webhook answered no <Connect><Stream>: %s", body)
	}
	params := map[string]string{}
	for _, p := range doc.Connect.Stream.Params {
		params[p.Name] = p.Value
	}
	if _, err := v.Twilio.Post(ctx, "/twilio/status", statusForm(callSID, "in-progress", 0)); err != nil {
		return res, err
	}
	fmt.Fprintf(out, "  media stream %s\n", doc.Connect.Stream.URL)
	c, err := twiliosim.Dial(ctx, doc.Connect.Stream.URL, doc.Connect.Stream.URL, v.Twilio.AuthToken, twiliosim.Params{
		AccountSID: v.Twilio.AccountSID, CallSID: callSID, StreamSID: "MZ" + callSID[2:], Custom: params})
	if err != nil {
		return res, err
	}
	defer c.Close()

	heard := func(since time.Time) (time.Time, error) {
		ev, err := c.WaitFor(ctx, "played", since)
		if err != nil {
			return time.Time{}, err
		}
		if err := c.Idle(ctx, 800*time.Millisecond); err != nil && c.Err() == nil {
			return ev.At, err
		}
		return ev.At, nil
	}
	if _, err := heard(time.Time{}); err != nil {
		return res, fmt.Errorf("no greeting: %w", err)
	}
	fmt.Fprintf(out, "  agent: (greeting)\n")
	for _, line := range v.Lines {
		if c.Err() != nil {
			break
		}
		pcm, err := v.speak(ctx, line)
		if err != nil {
			return res, err
		}
		if err := c.Say(ctx, pcm); err != nil {
			break
		}
		said := c.SentAt()
		at, err := heard(said)
		turn := VoiceTurn{Line: line, SaidAt: said, Answered: at}
		if !at.IsZero() {
			turn.Wait = at.Sub(said)
		}
		res.Turns = append(res.Turns, turn)
		fmt.Fprintf(out, "  caller: %q  (answered after %s)\n", line, turn.Wait.Round(time.Millisecond))
		if err != nil {
			break
		}
	}
	select {
	case <-c.Done():
		res.EndedByAgent = true
	case <-time.After(3 * time.Second):
		_ = c.Hangup(ctx)
	}
	res.Recording = c.Recording()
	if res.AfterStream, err = v.Twilio.Post(ctx, api.AfterStreamPath, url.Values{"CallSid": {callSID}, "CallStatus": {"in-progress"}}); err != nil {
		return res, err
	}
	if _, err := v.Twilio.Post(ctx, "/twilio/status", statusForm(callSID, "completed", 1)); err != nil {
		return res, err
	}
	return res, nil
}

// speak synthesises a caller's line at the line's 8 kHz.
func (v VoiceCall) speak(ctx context.Context, line string) ([]int16, error) {
	if v.Caller == nil {
		return nil, errors.New("voice call: no caller voice")
	}
	sp, err := v.Caller.Synthesize(ctx, line)
	if err != nil {
		return nil, err
	}
	defer sp.Close()
	rs, err := audio.NewResampler(sp.Rate(), voice.CallerRate)
	if err != nil {
		return nil, err
	}
	buf := make([]int16, 4096)
	var pcm []int16
	for {
		n, err := sp.Read(buf)
		pcm = rs.Resample(pcm, buf[:n])
		if errors.Is(err, io.EOF) {
			return rs.Flush(pcm), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func statusForm(callSID, status string, seq int) url.Values {
	return url.Values{"CallSid": {callSID}, "CallStatus": {status}, "SequenceNumber": {fmt.Sprint(seq)}}
}
