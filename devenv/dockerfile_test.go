package devenv_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/voice/embedded"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
}

// dockerStages parses a Dockerfile into its stages' instructions: comment
// lines dropped (Docker drops them inside continued instructions too),
// lines ending in a backslash joined, a new stage at each FROM.
func dockerStages(t *testing.T, path string) [][]instruction {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var stages [][]instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		require.NotEmpty(t, stages, "%s: %s before the first FROM", path, in.cmd)
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		if body, ok := strings.CutSuffix(strings.TrimRight(l, " \t"), `\`); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(l)
		flush()
	}
	flush()
	return stages
}

// aptInstalled lists the packages the stage's RUN instructions install
// with apt-get install (options left out).
func aptInstalled(stage []instruction) []string {
	var pkgs []string
	for _, in := range stage {
		if in.cmd != "RUN" {
			continue
		}
		for _, step := range strings.FieldsFunc(in.args, func(r rune) bool { return r == '&' || r == ';' || r == '|' }) {
			f := strings.Fields(step)
			i := slices.Index(f, "install")
			if i < 1 || !strings.HasSuffix(f[i-1], "apt-get") && f[i-1] != "apt" {
				continue
			}
			for _, a := range f[i+1:] {
				if !strings.HasPrefix(a, "-") {
					pkgs = append(pkgs, a)
				}
			}
		}
	}
	return pkgs
}

// TestDockerImageRunsTheEmbeddedVoice: the image's runtime stage installs
// every Debian package the embedded voice needs (voice/embedded's
// Requirements, which Available checks before `frontdesk api` starts
// without OPENAI_*), and gives the user it runs as a writable cache for
// the clinics' speech models (nobody has no home directory).
func TestDockerImageRunsTheEmbeddedVoice(t *testing.T) {
	stages := dockerStages(t, "../Dockerfile")
	require.GreaterOrEqual(t, len(stages), 2, "a build stage and a runtime stage")
	runtime := stages[len(stages)-1]
	require.True(t, strings.HasPrefix(runtime[0].args, "debian:bookworm"), "the runtime stage is Debian bookworm, whose package names Requirements uses (got %s)", runtime[0].args)

	installed := aptInstalled(runtime)
	require.NotEmpty(t, embedded.Requirements)
	for _, r := range embedded.Requirements {
		what := r.Binary
		if what == "" {
			what = r.File
		}
		require.Contains(t, installed, r.Package, "the runtime stage must install %s (for %s)", r.Package, what)
	}
	for _, pkg := range strings.Fields(embedded.PackagesSTT + " " + embedded.PackagesTTS) {
		require.Contains(t, installed, pkg)
	}

	var user, cache string
	var runs []string
	for _, in := range runtime {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				if v, ok := strings.CutPrefix(kv, "FRONTDESK_CACHE="); ok {
					cache = v
				}
			}
		case "RUN":
			runs = append(runs, in.args)
		}
	}
	if user == "" || user == "root" || user == "0" {
		return
	}
	require.NotEmpty(t, cache, "the runtime stage runs as %s: set FRONTDESK_CACHE to a directory it may write (the clinic models' cache)", user)
	require.True(t, slices.ContainsFunc(runs, func(r string) bool {
		return strings.Contains(r, "chown "+user) && strings.Contains(r, cache)
	}), "a RUN gives %s the cache directory %s", user, cache)
}
