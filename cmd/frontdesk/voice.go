package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/openai"
)

// voiceProviders picks the voice path's speech-to-text, agent and
// text-to-speech: an OpenAI-compatible endpoint for all three when
// OPENAI_API_KEY or OPENAI_BASE_URL is set, else the embedded offline
// default. It also says which, for `frontdesk dev` to print.
func voiceProviders(cfg config.Config) (rec voice.RecognizerFactory, synth voice.Synthesizer, agents voice.AgentFactory, desc string, err error) {
	if cfg.UsesOpenAI() {
		oc := openai.Config{
			APIKey: cfg.OpenAIAPIKey, BaseURL: cfg.OpenAIBaseURL,
			ChatModel: cfg.OpenAIChatModel, TranscriptionModel: cfg.OpenAISTTModel,
			SpeechModel: cfg.OpenAITTSModel, Voice: cfg.OpenAITTSVoice, Language: cfg.OpenAISTTLanguage,
		}
		r, err := openai.NewRecognizer(oc)
		if err != nil {
			return nil, nil, nil, "", err
		}
		s, err := openai.NewSynthesizer(oc)
		if err != nil {
			return nil, nil, nil, "", err
		}
		a, err := openai.NewAgentFactory(oc)
		if err != nil {
			return nil, nil, nil, "", err
		}
		recs := func(_ context.Context, p *voice.ClinicProfile) (voice.Recognizer, error) { return r.ForClinic(p), nil }
		return recs, s, a, voiceDescription(cfg), nil
	}
	return embeddedProviders()
}

// voiceDescription says which providers the voice path uses.
func voiceDescription(cfg config.Config) string {
	if !cfg.UsesOpenAI() {
		return embeddedDescription
	}
	base := cfg.OpenAIBaseURL
	if base == "" {
		base = openai.DefaultBaseURL
	}
	return fmt.Sprintf("OpenAI-compatible at %s (speech-to-text, LLM agent with tools, text-to-speech)", base)
}

// voiceOption mounts the media WebSocket with the configured providers.
func (s *services) voiceOption(apiCfg api.Config, calls starter.Calls) (api.Option, error) {
	rec, synth, agents, desc, err := voiceProviders(s.cfg)
	if err != nil {
		return nil, fmt.Errorf("voice providers: %w", err)
	}
	slog.Info("voice path", "providers", desc)
	vc := voice.Config{
		Recognizers: rec, Synthesizer: synth, Agents: agents,
		Calls: calls, Turns: starter.Turns{Calls: calls, Vault: s.privacy.vault},
		Directory: voice.StoreDirectory{Store: s.store, Vault: s.privacy.vault},
		// The services' detector (the worker's, default options) masks
		// what a hosted LLM must never read.
		Redact:  s.privacy.pii.RedactForLLM,
		Metrics: voice.NewMetrics(s.tel.Registerer()),
		Logger:  slog.Default(),
	}
	return api.WithVoice(apiCfg, api.VoiceOptions{Voice: vc, States: calls, Transfers: s.store, Streams: &s.streams}), nil
}
