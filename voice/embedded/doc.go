// Package embedded holds frontdesk's offline voice providers, used when no
// OpenAI-compatible account is configured: speech through flite or
// espeak-ng (Synthesizer) and recognition through Debian's pocketsphinx
// with a language model built per clinic (Recognizer, with the model in
// voice/embedded/clinicmodel). Both run their engines as subprocesses (no
// cgo) and need the Debian packages named in PackagesSTT and PackagesTTS.
//
// The rule-based agent that goes with them is voice/receptionist.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/embedded/clinicmodel"
)

// Available reports whether the engines and models the embedded voice
// needs are installed, naming the Debian packages that are missing.
func Available() error {
	var missing []string
	for bin, pkg := range map[string]string{"pocketsphinx_continuous": "pocketsphinx", "flite": "flite", "espeak-ng": "espeak-ng"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing = append(missing, pkg)
		}
	}
	if _, err := os.Stat(DefaultHMM); err != nil {
		missing = append(missing, "pocketsphinx-en-us")
	} else if _, err := os.Stat(clinicmodel.DefaultCMUDict[0]); err != nil {
		missing = append(missing, "pocketsphinx-en-us")
	}
	if len(missing) > 0 {
		return fmt.Errorf("embedded voice: install the Debian packages %s", strings.Join(missing, " "))
	}
	return nil
}

// Recognizers makes the recogniser of each call's clinic; models are
// cached on disk, so after a clinic's first call this costs a file read.
func Recognizers(opt RecognizerOptions) func(ctx context.Context, clinic *voice.ClinicProfile) (voice.Recognizer, error) {
	return func(ctx context.Context, clinic *voice.ClinicProfile) (voice.Recognizer, error) {
		if clinic == nil {
			return nil, errors.New("embedded recogniser: no clinic profile")
		}
		return NewRecognizer(ctx, clinic, opt)
	}
}
