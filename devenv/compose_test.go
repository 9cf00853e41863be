package devenv_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/frontdesk/frontdesk/voice"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/telemetry"
)

// No Docker engine runs here, so docker-compose.yml is checked by parsing:
// the services the README promises, pinned images, healthchecks, ports,
// conditions on every dependency, an environment whose every variable the
// README documents, and the observability profile's files.
type service struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Command     []string          `yaml:"command"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	Profiles    []string          `yaml:"profiles"`
	Restart     string            `yaml:"restart"`
	Environment map[string]string `yaml:"environment"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

type compose struct {
	Services map[string]service `yaml:"services"`
}

func load(t *testing.T) (compose, string) {
	t.Helper()
	raw, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var c compose
	require.NoError(t, yaml.Unmarshal(raw, &c))
	return c, string(readme)
}

// oneShot services run to completion; others stay up and need a healthcheck.
var oneShot = []string{"migrate", "temporal-setup"}

func TestDockerComposeMatchesREADME(t *testing.T) {
	c, readme := load(t)
	for _, name := range []string{"postgres", "temporal-db", "temporal", "temporal-setup", "temporal-ui", "migrate", "worker", "api", "prometheus", "grafana"} {
		require.Contains(t, c.Services, name, "service %s", name)
	}
	pinned := regexp.MustCompile(`^[a-z0-9./-]+:v?[0-9]+\.[0-9]+(\.[0-9]+)?[a-z0-9.-]*$`)
	for name, s := range c.Services {
		if s.Image != "" {
			require.Regexp(t, pinned, s.Image, "%s: image must be pinned to a version", name)
			require.NotContains(t, s.Image, ":latest")
			require.True(t, strings.Contains(readme, strings.Split(s.Image, ":")[0]), "README names the %s image %s", name, s.Image)
		} else {
			require.NotNil(t, s.Build, "%s has neither image nor build", name)
		}
		if slices.Contains(oneShot, name) {
			require.Equal(t, "no", s.Restart, "%s runs once", name)
		} else {
			require.NotNil(t, s.Healthcheck, "%s needs a healthcheck", name)
			require.NotEmpty(t, s.Healthcheck.Test)
		}
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			host := parts[len(parts)-2]
			require.True(t, strings.Contains(readme, host), "README names port %s of %s", host, name)
		}
		// Every dependency waits for something: healthy, or a one-shot job
		// completed; never just "started".
		for dep, d := range s.DependsOn {
			require.Contains(t, c.Services, dep, "%s depends on %s", name, dep)
			switch d.Condition {
			case "service_healthy":
				require.NotNil(t, c.Services[dep].Healthcheck, "%s waits for %s to be healthy, which has no healthcheck", name, dep)
			case "service_completed_successfully":
				require.Contains(t, oneShot, dep, "%s waits for %s to complete, which is not a one-shot job", name, dep)
			default:
				t.Fatalf("%s depends on %s without a condition (%q)", name, dep, d.Condition)
			}
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
			require.True(t, strings.Contains(readme, "`"+key+"`"), "README documents %s (used by %s)", key, svc)
		}
	}
	require.Contains(t, c.Services["api"].Environment["TEMPORAL_ADDRESS"], "temporal:7233")
}

// Temporal keeps its state in a Postgres of its own, with its dynamic
// config from the repo, frontdesk's search attributes registered before
// the services start, and a Web UI that decodes through the api's /codec.
func TestComposeTemporal(t *testing.T) {
	c, _ := load(t)
	tmp := c.Services["temporal"]
	require.Equal(t, "postgres12", tmp.Environment["DB"], "Temporal must be Postgres-backed")
	require.Equal(t, "temporal-db", tmp.Environment["POSTGRES_SEEDS"], "on its own Postgres, not the clinics'")
	require.Equal(t, "service_healthy", tmp.DependsOn["temporal-db"].Condition)
	require.NotContains(t, tmp.DependsOn, "postgres")
	require.Empty(t, c.Services["temporal-db"].Ports, "Temporal's database is not published")
	require.Equal(t, tmp.Environment["POSTGRES_USER"], c.Services["temporal-db"].Environment["POSTGRES_USER"])

	dyn, err := os.ReadFile("../deploy/temporal/dynamicconfig.yaml")
	require.NoError(t, err, "the Temporal service mounts its dynamic config from the repo")
	var dynCfg map[string][]struct {
		Value any `yaml:"value"`
	}
	require.NoError(t, yaml.Unmarshal(dyn, &dynCfg))
	require.Equal(t, true, dynCfg["system.enableActivityEagerExecution"][0].Value)

	setup := strings.Join(c.Services["temporal-setup"].Command, "\n")
	require.Equal(t, "service_healthy", c.Services["temporal-setup"].DependsOn["temporal"].Condition)
	for _, key := range contract.SearchAttributeKeys {
		typ := strings.TrimPrefix(key.GetValueType().String(), "INDEXED_VALUE_TYPE_")
		want := key.GetName() + "=" + typ[:1] + strings.ToLower(typ[1:])
		require.Contains(t, setup, want, "temporal-setup registers %s", want)
	}
	for _, svc := range []string{"api", "worker"} {
		require.Equal(t, "service_completed_successfully", c.Services[svc].DependsOn["temporal-setup"].Condition, "%s starts after the search attributes exist", svc)
	}

	ui := c.Services["temporal-ui"].Environment
	require.Equal(t, "temporal:7233", ui["TEMPORAL_ADDRESS"])
	require.True(t, strings.HasSuffix(ui["TEMPORAL_CODEC_ENDPOINT"], "/codec"), "the Web UI decodes through the api's /codec")
	require.NotEmpty(t, ui["TEMPORAL_CORS_ORIGINS"])
}

// The observability profile: Prometheus scrapes the api and the worker,
// Grafana loads the checked-in dashboard, and the dashboard's frontdesk_*
// series are ones the telemetry package registers.
func TestComposeObservabilityProfile(t *testing.T) {
	c, _ := load(t)
	for name, s := range c.Services {
		if name == "prometheus" || name == "grafana" {
			require.Equal(t, []string{"observability"}, s.Profiles, name)
		} else {
			require.Empty(t, s.Profiles, "%s runs without a profile", name)
		}
	}
	for _, name := range []string{"prometheus", "grafana"} {
		for _, p := range c.Services[name].Ports {
			require.True(t, strings.HasPrefix(p, "127.0.0.1:"), "%s is published on loopback only: %s", name, p)
		}
	}
	metricsAddr := c.Services["worker"].Environment[telemetry.EnvMetricsAddr]
	require.NotEmpty(t, metricsAddr, "the worker serves its own /metrics")
	workerPort := metricsAddr[strings.LastIndex(metricsAddr, ":")+1:]

	raw, err := os.ReadFile("../deploy/prometheus/prometheus.yml")
	require.NoError(t, err)
	var prom struct {
		ScrapeConfigs []struct {
			JobName     string `yaml:"job_name"`
			MetricsPath string `yaml:"metrics_path"`
			DNS         []struct {
				Names []string `yaml:"names"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &prom))
	targets := map[string]int{}
	for _, sc := range prom.ScrapeConfigs {
		require.Equal(t, "/metrics", sc.MetricsPath)
		for _, d := range sc.DNS {
			for _, n := range d.Names {
				targets[n] = d.Port
			}
		}
	}
	require.Equal(t, 8080, targets["api"])
	require.Equal(t, workerPort, strconv.Itoa(targets["worker"]), "Prometheus scrapes the worker where it serves")
	require.Contains(t, strings.Join(c.Services["prometheus"].Volumes, " "), "./deploy/prometheus/prometheus.yml:")
	vols := strings.Join(c.Services["grafana"].Volumes, " ")
	require.Contains(t, vols, "./deploy/grafana/provisioning:")
	require.Contains(t, vols, "./deploy/grafana/dashboards:")
	for _, f := range []string{"../deploy/grafana/provisioning/datasources/prometheus.yml", "../deploy/grafana/provisioning/dashboards/frontdesk.yml"} {
		_, err := os.Stat(f)
		require.NoError(t, err)
	}

	dash, err := os.ReadFile("../deploy/grafana/dashboards/frontdesk.json")
	require.NoError(t, err)
	var d struct {
		UID    string `json:"uid"`
		Panels []struct {
			Type    string `json:"type"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	require.NoError(t, json.Unmarshal(dash, &d))
	require.Equal(t, "frontdesk", d.UID)

	registered := registeredFrontdeskMetrics(t)
	used := map[string]bool{}
	name := regexp.MustCompile(`\b(frontdesk|temporal)_[a-z0-9_]+`)
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		require.NotEmpty(t, p.Targets, "panel %q has a query", p.Title)
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				if !strings.HasPrefix(m, "frontdesk_") {
					continue
				}
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_count"), "_sum")
				require.Contains(t, registered, base, "panel %q queries %s, which telemetry does not register", p.Title, m)
				used[base] = true
			}
		}
	}
	for m := range registered {
		require.True(t, used[m], "the dashboard shows %s", m)
	}
}

// registeredFrontdeskMetrics observes each of frontdesk's own metrics once
// and lists the families the registry then exposes.
func registeredFrontdeskMetrics(t *testing.T) map[string]bool {
	t.Helper()
	tel, err := telemetry.New(context.Background(), telemetry.Options{Getenv: func(string) string { return "" }})
	require.NoError(t, err)
	m := tel.Metrics()
	m.ObserveWebhook("/twilio/voice", 403)
	m.ObserveSlotLock("conflict", 0)
	m.ObserveSMS("failed", 0, "refused", 21211)
	m.CountPII("medical", map[string]int{"PERSON": 1})
	families, err := tel.Gatherer().Gather()
	require.NoError(t, err)
	out := map[string]bool{}
	for _, f := range families {
		if strings.HasPrefix(f.GetName(), "frontdesk_") {
			out[f.GetName()] = true
		}
	}
	require.Len(t, out, 8)
	// The voice path registers its own on the same registry.
	for _, name := range voice.MetricNames() {
		out[name] = true
	}
	return out
}
