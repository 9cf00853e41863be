package media_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/media"
)

// One 20 ms frame as Twilio sends it: the per-frame path of every call.
func BenchmarkParseMedia(b *testing.B) {
	tw := newTwilio()
	msg := tw.AppendMedia(nil, frame(media.FrameBytes, 0x55))
	var p media.Parser
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(msg); err != nil {
			b.Fatal(err)
		}
	}
}

// For scale: encoding/json into a struct of strings, then base64.
func BenchmarkParseMediaEncodingJSON(b *testing.B) {
	tw := newTwilio()
	msg := tw.AppendMedia(nil, frame(media.FrameBytes, 0x55))
	var v struct {
		Event          string `json:"event"`
		SequenceNumber string `json:"sequenceNumber"`
		StreamSid      string `json:"streamSid"`
		Media          struct {
			Track     string `json:"track"`
			Chunk     string `json:"chunk"`
			Timestamp string `json:"timestamp"`
			Payload   []byte `json:"payload"`
		} `json:"media"`
	}
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if err := json.Unmarshal(msg, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendMedia(b *testing.B) {
	audio := frame(media.FrameBytes, 0x55)
	dst := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		dst = media.AppendMedia(dst[:0], streamSID, audio)
	}
}

func BenchmarkLimiterAllow(b *testing.B) {
	l := media.NewLimiter(media.DefaultRate, media.DefaultBurst)
	now := time.Unix(0, 0)
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(20 * time.Millisecond)
		l.Allow(now)
	}
}
