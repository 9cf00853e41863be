package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/frontdesk/frontdesk/vault"
)

func Example() {
	ctx := context.Background()
	// In production: vault.MasterKeysFromEnv(os.Getenv) and a Postgres store.
	v, err := vault.New(vault.NewMemoryKeyStore(), vault.GenerateMasterKey())
	if err != nil {
		panic(err)
	}
	org, patient := "6f1c0d3e-1b7a-4c55-9a53-7b8f3c1a2e01", "0d9b7f4c-2f1e-4d8a-8c3b-5e6a7b8c9d01"
	aad := vault.AAD{OrgID: org, Table: "app.call_notes", RowID: "row-1", Column: "body"}

	ct, _ := v.Encrypt(ctx, aad, patient, []byte("reports chest pain"))
	pt, _ := v.Decrypt(ctx, aad, patient, ct)
	fmt.Println(string(pt))

	_, _ = v.RotateOrg(ctx, org) // re-wraps keys; ct stays readable
	pt, _ = v.Decrypt(ctx, aad, patient, ct)
	fmt.Println(string(pt))

	_ = v.Shred(ctx, org, patient) // erasure
	_, err = v.Decrypt(ctx, aad, patient, ct)
	fmt.Println(errors.Is(err, vault.ErrShredded))
	// Output:
	// reports chest pain
	// reports chest pain
	// true
}

// Wiring the codec into Temporal clients, workers and replayers, and the
// codec endpoint into the echo api.
func ExampleNewCodecHandler() {
	master := vault.GenerateMasterKey() // from MasterKeysFromEnv in production
	current, _ := vault.DeriveCodecKey(master, "codec")
	ring, _ := vault.NewCodecKeyRing(current) // plus keys derived from previous masters
	codec := vault.NewPayloadCodec(ring)

	dc := vault.NewDataConverter(codec)
	fc := vault.NewFailureConverter(dc)
	_, _ = dc, fc // client.Options{DataConverter: dc, FailureConverter: fc}

	auth, _ := vault.NewBearerTokenAuthenticator(map[string]string{"ops": "an-ops-token-of-some-length"})
	h, _ := vault.NewCodecHandler(vault.CodecServerOptions{
		Codec:          codec,
		Authenticate:   auth,
		AllowedOrigins: []string{"http://localhost:8233"},
		Audit: func(principal, action string, count int) {
			slog.Info("codec", "principal", principal, "action", action, "payloads", count)
		},
	})
	e := echo.New()
	e.Any("/codec/*", echo.WrapHandler(h)) // temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8080/codec
	_ = http.Handler(e)
}
