package embedded

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

var deriveCMN = flag.Bool("cmn.derive", false, "print the cepstral mean pocketsphinx settles on for telephone speech (the development sentences in three flite voices), the source of DefaultCMNInit")

// TestDeriveCMNInit runs only with -cmn.derive: it feeds the development
// sentences, spoken by slt, awb and kal down the phone line and through
// the stream's own upsampling and noise, to pocketsphinx and prints the
// live cepstral mean it ends with.
func TestDeriveCMNInit(t *testing.T) {
	if !*deriveCMN {
		return
	}
	r := recognizerFor(t, 0)
	var pcm []int16
	for i, u := range readSentences(t, "dev.txt") {
		v := []string{"slt", "awb", "kal"}[i%3]
		var up upsampler
		pcm = up.write(callerSays(t, v, u.text), pcm)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	raw := make([]byte, 0, 2*len(pcm))
	for _, v := range pcm {
		v = clamp16(float64(v) + float64(rng.IntN(657)-328))
		raw = append(raw, byte(v), byte(uint16(v)>>8))
	}
	f := filepath.Join(t.TempDir(), "dev.raw")
	if err := os.WriteFile(f, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-infile", f}
	for i := 0; i < len(r.args); i += 2 {
		if r.args[i] != "-infile" && r.args[i] != "-cmninit" {
			args = append(args, r.args[i], r.args[i+1])
		}
	}
	out, err := exec.Command(r.bin, args...).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Update to +< *([^>]*)>`).FindAllSubmatch(out, -1)
	if len(m) == 0 {
		t.Fatal("no CMN update in the log")
	}
	fmt.Printf("DefaultCMNInit = %q\n", string(bytes.Join(bytes.Fields(m[len(m)-1][1]), []byte(","))))
}
