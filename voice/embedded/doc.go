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
	"path/filepath"
	"slices"
	"strings"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/embedded/clinicmodel"
)

// Requirement is one thing the embedded voice needs installed: a binary
// it runs (looked up on PATH) or a file it reads, and the Debian package
// that provides it.
type Requirement struct {
	Binary  string
	File    string
	Package string
}

// Requirements are the engines and models the embedded voice needs, the
// Debian bookworm packages that install them, and what Available checks.
// The Dockerfile's runtime stage installs these packages
// (devenv/dockerfile_test.go checks it against this list).
var Requirements = []Requirement{
	{Binary: "pocketsphinx_continuous", Package: "pocketsphinx"},
	{Binary: "flite", Package: "flite"},
	{Binary: "espeak-ng", Package: "espeak-ng"},
	{File: filepath.Join(DefaultHMM, "feat.params"), Package: "pocketsphinx-en-us"},
	{File: clinicmodel.DefaultCMUDict[0], Package: "pocketsphinx-en-us"},
}

// Available reports whether the engines and models the embedded voice
// needs are installed, naming the Debian packages that are missing.
func Available() error {
	var missing []string
	for _, r := range Requirements {
		var err error
		if r.Binary != "" {
			_, err = exec.LookPath(r.Binary)
		} else {
			_, err = os.Stat(r.File)
		}
		if err != nil && !slices.Contains(missing, r.Package) {
			missing = append(missing, r.Package)
		}
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
