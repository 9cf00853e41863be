package starter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/frontdesk/frontdesk/vault"
)

// EncryptedOptions are client options whose data converter runs every
// payload through codec and whose failure converter encodes failure
// messages and stack traces too. The worker inherits them from its client,
// and the replayer must use the same converter (workflows/replay_test.go).
func EncryptedOptions(address, namespace string, logger *slog.Logger, codec *vault.PayloadCodec) client.Options {
	dc := vault.NewDataConverter(codec)
	return client.Options{
		HostPort:         address,
		Namespace:        namespace,
		Logger:           tlog.NewStructuredLogger(logger),
		DataConverter:    dc,
		FailureConverter: vault.NewFailureConverter(dc),
	}
}

// DialEncrypted connects to Temporal with the payload codec: what every
// service and CLI command that reads or writes payloads uses. Only health
// checks dial without it. opts adjust the client options (TLS and
// credentials: config.TemporalSecurity.Apply).
func DialEncrypted(ctx context.Context, address, namespace string, logger *slog.Logger, codec *vault.PayloadCodec, opts ...func(*client.Options) error) (client.Client, error) {
	if codec == nil {
		return nil, errors.New("temporal client: no payload codec (FRONTDESK_MASTER_KEY)")
	}
	o := EncryptedOptions(address, namespace, logger, codec)
	for _, apply := range opts {
		if err := apply(&o); err != nil {
			return nil, err
		}
	}
	c, err := client.DialContext(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", address, err)
	}
	return c, nil
}
