package main

import (
	"errors"

	"github.com/frontdesk/frontdesk/voice"
)

// embeddedProviders is the offline default: pocketsphinx, espeak-ng and
// the rule-based receptionist.
func embeddedProviders() (voice.RecognizerFactory, voice.Synthesizer, voice.AgentFactory, string, error) {
	return nil, nil, nil, "", errors.New("the embedded voice providers are not wired yet")
}
