package devenv_test

import (
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// composeDefault is what a compose value ${VAR:-default} becomes when VAR
// is unset; a plain value is itself.
func composeDefault(t *testing.T, v string) string {
	t.Helper()
	m := regexp.MustCompile(`^\$\{[A-Z0-9_]+:-([^}]*)\}$`).FindStringSubmatch(v)
	if m == nil {
		require.NotContains(t, v, "${", "only ${VAR:-default} is understood here: %q", v)
		return v
	}
	return m[1]
}

// TestComposePassesTheVoiceSettings: every OPENAI_* variable config reads
// reaches the api from .env, so compose can point the voice path at
// OpenAI or a local OpenAI-compatible server.
func TestComposePassesTheVoiceSettings(t *testing.T) {
	c, readme := load(t)
	src, err := os.ReadFile("../config/config.go")
	require.NoError(t, err)
	vars := regexp.MustCompile(`"(OPENAI_[A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, vars, "config reads OPENAI_* variables")
	for _, m := range vars {
		key := m[1]
		for _, svc := range []string{"api", "worker"} {
			v, ok := c.Services[svc].Environment[key]
			require.True(t, ok, "%s: compose passes %s (config/config.go reads it)", svc, key)
			require.Regexp(t, `^\$\{`+key+`:-[^}]*\}$`, v, "%s: %s comes from .env", svc, key)
		}
		require.Contains(t, readme, "`"+key+"`")
	}
}

// TestComposeWebUIOriginIsTheCodecsCORSOrigin: the browser calls the api's
// /codec from the Web UI's origin, and the api answers CORS for the
// origin of TEMPORAL_UI_URL only (api.WithCodec). Compose gives the api
// and the Web UI the same one, the origin of the Web UI's published port,
// and the Web UI's codec endpoint is the api's published /codec.
func TestComposeWebUIOriginIsTheCodecsCORSOrigin(t *testing.T) {
	c, _ := load(t)
	ui := c.Services["temporal-ui"]
	apiURL := c.Services["api"].Environment["TEMPORAL_UI_URL"]
	require.NotEmpty(t, apiURL, "the api needs TEMPORAL_UI_URL: its default (config.DefaultTemporalUIURL) need not be where compose publishes the Web UI")
	require.Equal(t, apiURL, ui.Environment["TEMPORAL_CORS_ORIGINS"], "the Web UI's origin and the api's codec CORS origin are one setting")

	u, err := url.Parse(composeDefault(t, apiURL))
	require.NoError(t, err)
	require.Equal(t, "http", u.Scheme)
	require.Len(t, ui.Ports, 1)
	parts := strings.Split(ui.Ports[0], ":")
	require.Len(t, parts, 3, "the Web UI is published on one host address: %s", ui.Ports[0])
	require.Equal(t, parts[0]+":"+parts[1], u.Host, "TEMPORAL_UI_URL's default is where the Web UI is published (%s)", ui.Ports[0])

	codec, err := url.Parse(ui.Environment["TEMPORAL_CODEC_ENDPOINT"])
	require.NoError(t, err)
	require.Equal(t, "/codec", codec.Path)
	require.Equal(t, u.Hostname(), codec.Hostname(), "the codec endpoint is on the host the Web UI is opened on")
	require.True(t, slices.ContainsFunc(c.Services["api"].Ports, func(p string) bool {
		return strings.HasSuffix(p, ":8080") && strings.HasPrefix(p, codec.Port()+":")
	}), "the codec endpoint's port %s is the api's published port", codec.Port())
}
