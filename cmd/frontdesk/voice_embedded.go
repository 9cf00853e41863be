package main

import (
	"fmt"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/embedded"
	"github.com/frontdesk/frontdesk/voice/receptionist"
)

// embeddedProviders is the offline default: pocketsphinx with each
// clinic's own language model, flite's 8 kHz kal voice, and the rule-based
// receptionist. Missing Debian packages are named.
func embeddedProviders() (voice.RecognizerFactory, voice.Synthesizer, voice.AgentFactory, string, error) {
	if err := embedded.Available(); err != nil {
		return nil, nil, nil, "", fmt.Errorf("%w (or set OPENAI_API_KEY / OPENAI_BASE_URL for an OpenAI-compatible endpoint)", err)
	}
	synth, err := embedded.NewAgentVoice()
	if err != nil {
		return nil, nil, nil, "", err
	}
	recs := embedded.Recognizers(embedded.RecognizerOptions{})
	return recs, synth, receptionist.Factory(receptionist.Options{}), embeddedDescription, nil
}

const embeddedDescription = "embedded, offline (pocketsphinx with a clinic language model, flite kal voice, rule-based receptionist)"
