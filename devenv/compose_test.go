package devenv_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// No Docker engine runs here, so docker-compose.yml is checked by parsing:
// the services the README promises, pinned images, healthchecks, ports and
// an environment whose every variable the README documents.
type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Ports       []string          `yaml:"ports"`
		Environment map[string]string `yaml:"environment"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
		DependsOn map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
}

func TestDockerComposeMatchesREADME(t *testing.T) {
	raw, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var c compose
	require.NoError(t, yaml.Unmarshal(raw, &c))

	for _, name := range []string{"postgres", "temporal", "temporal-ui", "migrate", "worker", "api"} {
		require.Contains(t, c.Services, name, "service %s", name)
	}
	pinned := regexp.MustCompile(`^[a-z0-9./-]+:[0-9]+\.[0-9]+(\.[0-9]+)?[a-z0-9.-]*$`)
	for name, s := range c.Services {
		if s.Image != "" {
			require.Regexp(t, pinned, s.Image, "%s: image must be pinned to a version", name)
			require.NotContains(t, s.Image, ":latest")
			require.Contains(t, string(readme), strings.Split(s.Image, ":")[0], "README names the %s image", name)
		} else {
			require.NotNil(t, s.Build, "%s has neither image nor build", name)
		}
		if name != "migrate" {
			require.NotNil(t, s.Healthcheck, "%s needs a healthcheck", name)
			require.NotEmpty(t, s.Healthcheck.Test)
		}
		for _, p := range s.Ports {
			host := strings.Split(p, ":")[0]
			require.Contains(t, string(readme), host, "README names port %s of %s", host, name)
		}
	}
	require.Equal(t, []string{"8080:8080"}, c.Services["api"].Ports)
	require.Empty(t, c.Services["temporal"].Ports, "Temporal stays on the internal network (compose_security_test.go)")
	require.Equal(t, []string{"127.0.0.1:8233:8080"}, c.Services["temporal-ui"].Ports)
	require.Equal(t, "postgres12", c.Services["temporal"].Environment["DB"], "Temporal must be Postgres-backed")
	dyn, err := os.ReadFile("../deploy/temporal/dynamicconfig.yaml")
	require.NoError(t, err, "the Temporal service mounts its dynamic config from the repo")
	var dynCfg map[string][]struct {
		Value any `yaml:"value"`
	}
	require.NoError(t, yaml.Unmarshal(dyn, &dynCfg))
	require.Equal(t, true, dynCfg["system.enableActivityEagerExecution"][0].Value)
	require.Equal(t, "service_completed_successfully", c.Services["api"].DependsOn["migrate"].Condition)
	require.Equal(t, []string{"worker"}, c.Services["worker"].Command)
	require.Equal(t, []string{"api"}, c.Services["api"].Command)

	for _, svc := range []string{"api", "worker", "migrate"} {
		env := c.Services[svc].Environment
		for _, key := range []string{"TEMPORAL_ADDRESS", "TWILIO_AUTH_TOKEN", "FRONTDESK_PUBLIC_URL", "FRONTDESK_HTTP_ADDR"} {
			require.Contains(t, env, key, "%s needs %s", svc, key)
		}
		if svc != "migrate" { // migrate gets the admin, api and worker URLs
			require.Contains(t, env, "DATABASE_URL", "%s needs DATABASE_URL", svc)
		}
		for key := range env {
			require.Contains(t, string(readme), "`"+key+"`", "README documents %s (used by %s)", key, svc)
		}
	}
	require.Contains(t, c.Services["api"].Environment["TEMPORAL_ADDRESS"], "temporal:7233")
}
