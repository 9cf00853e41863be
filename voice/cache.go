package voice

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/frontdesk/frontdesk/voice/audio"
)

// AudioCache holds the μ-law of what every call of a clinic says the same
// way (the greeting, the filler), so it plays at once instead of after a
// TTS round trip. Keyed by clinic and text; a failed synthesis is not
// cached.
type AudioCache struct {
	mu      sync.Mutex
	entries map[cacheKey]*cachedAudio
}

type cacheKey struct{ clinic, text string }

type cachedAudio struct {
	text  string
	mulaw []byte
	once  sync.Once
	err   error
}

// NewAudioCache makes an empty cache.
func NewAudioCache() *AudioCache { return &AudioCache{entries: map[cacheKey]*cachedAudio{}} }

// maxCachedAudio bounds one entry: a greeting is a few seconds.
const maxCachedAudio = 30 * CallerRate

// Get returns the μ-law of text for clinic, synthesising it on first use.
func (c *AudioCache) Get(ctx context.Context, synth Synthesizer, clinic, text string) (*cachedAudio, error) {
	k := cacheKey{clinic, text}
	c.mu.Lock()
	e, ok := c.entries[k]
	if !ok {
		e = &cachedAudio{text: text}
		c.entries[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.mulaw, e.err = synthesizeAll(ctx, synth, text) })
	if e.err != nil {
		c.mu.Lock()
		delete(c.entries, k)
		c.mu.Unlock()
		return nil, e.err
	}
	return e, nil
}

// synthesizeAll reads a whole synthesis into 8 kHz μ-law.
func synthesizeAll(ctx context.Context, synth Synthesizer, text string) ([]byte, error) {
	sp, err := synth.Synthesize(ctx, text)
	if err != nil {
		return nil, err
	}
	defer sp.Close()
	res, err := audio.NewResampler(sp.Rate(), CallerRate)
	if err != nil {
		return nil, err
	}
	buf := make([]int16, 4096)
	var pcm []int16
	for {
		n, err := sp.Read(buf)
		pcm = res.Resample(pcm, buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(pcm) > maxCachedAudio {
			return nil, errors.New("cached audio too long")
		}
	}
	pcm = res.Flush(pcm)
	if len(pcm) == 0 {
		return nil, errors.New("synthesis produced no audio")
	}
	return audio.EncodeMulaw(nil, pcm), nil
}
