package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// selfSigned writes a certificate and its key as PEM files.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "frontdesk-worker"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600))
	return certFile, keyFile
}

func TestTemporalSecurityApply(t *testing.T) {
	var o client.Options
	require.NoError(t, TemporalSecurity{}.Apply(&o))
	require.Nil(t, o.ConnectionOptions.TLS, "plaintext on a private network")

	cert, key := selfSigned(t, t.TempDir())
	o = client.Options{}
	require.NoError(t, TemporalSecurity{CertFile: cert, KeyFile: key, CAFile: cert, ServerName: "temporal.internal"}.Apply(&o))
	require.NotNil(t, o.ConnectionOptions.TLS)
	require.Len(t, o.ConnectionOptions.TLS.Certificates, 1, "mutual TLS: the client certificate")
	require.NotNil(t, o.ConnectionOptions.TLS.RootCAs)
	require.Equal(t, "temporal.internal", o.ConnectionOptions.TLS.ServerName)
	require.Nil(t, o.Credentials)

	o = client.Options{}
	require.NoError(t, TemporalSecurity{APIKey: "tmprl-api-key"}.Apply(&o))
	require.NotNil(t, o.ConnectionOptions.TLS, "an API key travels over TLS")
	require.NotNil(t, o.Credentials)

	require.ErrorContains(t, TemporalSecurity{CertFile: cert}.Apply(&client.Options{}), "go together")
	require.ErrorContains(t, TemporalSecurity{CAFile: key}.Apply(&client.Options{}), "no PEM certificate")

	t.Setenv("TEMPORAL_API_KEY", "k")
	t.Setenv("TEMPORAL_TLS_SERVER_NAME", "s")
	require.Equal(t, TemporalSecurity{APIKey: "k", ServerName: "s"}, FromEnv().Temporal)
}
