package devenv_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestComposeHoldsNoSecretsAndPublishesOnlyTheAPI: the review found the
// compose file falling back to published secrets and publishing Temporal
// and Postgres. Every secret now comes from .env with no fallback, the
// services default to production mode, only the api is published (the Web
// UI on loopback, read-only), and the api and the worker log in to
// Postgres as different roles.
func TestComposeHoldsNoSecretsAndPublishesOnlyTheAPI(t *testing.T) {
	raw, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var c compose
	require.NoError(t, yaml.Unmarshal(raw, &c))

	secretKey := regexp.MustCompile(`(PASSWORD|PWD|SECRET|TOKEN|MASTER_KEY)$|_URL$`)
	required := regexp.MustCompile(`\$\{[A-Z0-9_]+:\?[^}]*\}`)
	for name, s := range c.Services {
		for k, v := range s.Environment {
			if !secretKey.MatchString(k) || k == "FRONTDESK_PUBLIC_URL" && !strings.Contains(v, "${") {
				continue
			}
			if strings.HasSuffix(k, "_URL") && !strings.Contains(v, "@") {
				continue // a URL without credentials (Temporal, the codec endpoint)
			}
			require.Regexp(t, required, v, "%s: %s must come from .env, required", name, k)
			require.NotContains(t, v, ":-", "%s: %s must have no fallback value", name, k)
			if strings.Contains(v, "@") {
				require.Regexp(t, `^postgres://[a-z_]+:\$\{[A-Z_]+:\?[^}]*\}@`, v, "%s: %s carries its password from .env", name, k)
			}
		}
	}
	for _, published := range []string{"frontdesk-dev-twilio-auth-token", "change-me-in-production", "frontdesk-dev-jwt-secret", "frontdesk-dev-link-secret", "POSTGRES_PASSWORD: postgres", "f00dface"} {
		require.NotContains(t, string(raw), published)
	}

	for _, svc := range []string{"api", "worker", "migrate"} {
		require.Equal(t, "${FRONTDESK_ENV:-production}", c.Services[svc].Environment["FRONTDESK_ENV"], "%s runs in production mode by default", svc)
	}
	require.Contains(t, c.Services["api"].Environment["DATABASE_URL"], "postgres://frontdesk_api_login:")
	require.Contains(t, c.Services["worker"].Environment["DATABASE_URL"], "postgres://frontdesk_worker_login:")
	require.Contains(t, c.Services["migrate"].Environment["DATABASE_API_URL"], "postgres://frontdesk_api_login:")
	require.Contains(t, c.Services["migrate"].Environment["DATABASE_WORKER_URL"], "postgres://frontdesk_worker_login:")
	require.NotContains(t, c.Services["api"].Environment, "DATABASE_ADMIN_URL", "the api never holds the admin login")
	require.NotContains(t, c.Services["worker"].Environment, "DATABASE_ADMIN_URL")

	for name, s := range c.Services {
		switch name {
		case "api":
			require.Equal(t, []string{"8080:8080"}, s.Ports)
		case "temporal-ui":
			for _, p := range s.Ports {
				require.True(t, strings.HasPrefix(p, "127.0.0.1:"), "the Web UI has no login: loopback only (%s)", p)
			}
			require.Equal(t, "true", s.Environment["TEMPORAL_DISABLE_WRITE_ACTIONS"])
		case "prometheus", "grafana":
			// The observability profile: read-only views of non-personal
			// series, on the host's loopback only.
			for _, p := range s.Ports {
				require.True(t, strings.HasPrefix(p, "127.0.0.1:"), "%s: loopback only (%s)", name, p)
			}
		default:
			require.Empty(t, s.Ports, "%s stays on the internal network", name)
		}
	}
}
