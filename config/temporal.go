package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"go.temporal.io/sdk/client"
)

// TemporalSecurity is how the services authenticate to a Temporal server
// outside their private network: mutual TLS with a client certificate
// (self-hosted, or Temporal Cloud's mTLS namespaces), or an API key over
// TLS (Temporal Cloud). Empty: plaintext, for the compose network and
// `make dev` only.
type TemporalSecurity struct {
	// CertFile and KeyFile are the client certificate and key (PEM) for
	// mutual TLS: TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY.
	CertFile, KeyFile string
	// CAFile verifies the server (PEM), when its certificate is not signed
	// by a public CA: TEMPORAL_TLS_CA.
	CAFile string
	// ServerName overrides the name checked in the server's certificate:
	// TEMPORAL_TLS_SERVER_NAME.
	ServerName string
	// APIKey authenticates with a Temporal API key (implies TLS):
	// TEMPORAL_API_KEY.
	APIKey string
}

func temporalSecurityFromEnv() TemporalSecurity {
	return TemporalSecurity{
		CertFile:   os.Getenv("TEMPORAL_TLS_CERT"),
		KeyFile:    os.Getenv("TEMPORAL_TLS_KEY"),
		CAFile:     os.Getenv("TEMPORAL_TLS_CA"),
		ServerName: os.Getenv("TEMPORAL_TLS_SERVER_NAME"),
		APIKey:     os.Getenv("TEMPORAL_API_KEY"),
	}
}

// Enabled reports whether any of TLS or an API key is configured.
func (s TemporalSecurity) Enabled() bool {
	return s != TemporalSecurity{}
}

// Apply sets TLS and credentials on Temporal client options; it is the
// option every Temporal client of the services and the CLI is dialled
// with (starter.Dial, starter.DialEncrypted).
func (s TemporalSecurity) Apply(o *client.Options) error {
	if !s.Enabled() {
		return nil
	}
	if (s.CertFile == "") != (s.KeyFile == "") {
		return errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mutual TLS)")
	}
	t := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: s.ServerName}
	if s.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile)
		if err != nil {
			return fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return errors.New("TEMPORAL_TLS_CA: no PEM certificate in the file")
		}
		t.RootCAs = pool
	}
	o.ConnectionOptions.TLS = t
	if s.APIKey != "" {
		o.Credentials = client.NewAPIKeyStaticCredentials(s.APIKey)
	}
	return nil
}
