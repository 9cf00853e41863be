package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/vault"
)

// ensureDevMasterKey gives `frontdesk dev` a master key when none is
// configured: created once in <dir>/master.key (mode 0600) and reused, so
// data encrypted in one dev session stays readable in the next. Deleting
// the file makes every encrypted value and Temporal payload of the dev
// database unreadable, which is what it would do in production too.
func ensureDevMasterKey(dir string) error {
	if strings.TrimSpace(os.Getenv(vault.EnvMasterKey)) != "" || strings.TrimSpace(os.Getenv(vault.EnvMasterKeyFile)) != "" {
		return nil
	}
	path := filepath.Join(dir, "master.key")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("create the development master key: %w", err)
		}
		_, werr := fmt.Fprintln(f, vault.EncodeMasterKey(vault.GenerateMasterKey()))
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("write the development master key: %w", werr)
		}
		fmt.Printf("▸ created a development master key in %s (FRONTDESK_MASTER_KEY unset; keep the file, or lose the dev data)\n", path)
	} else if err != nil {
		return err
	}
	return os.Setenv(vault.EnvMasterKeyFile, path)
}

// useDevMasterKeyFile points FRONTDESK_MASTER_KEY_FILE at `frontdesk dev`'s
// key file when no master key is configured, so CLI commands work beside
// `make dev`.
func useDevMasterKeyFile() {
	if strings.TrimSpace(os.Getenv(vault.EnvMasterKey)) != "" || strings.TrimSpace(os.Getenv(vault.EnvMasterKeyFile)) != "" {
		return
	}
	dir := os.Getenv("FRONTDESK_DEV_DIR")
	if dir == "" {
		dir = ".dev"
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); err == nil {
		os.Setenv(vault.EnvMasterKeyFile, filepath.Join(dir, "master.key"))
	}
}

// dialEncrypted connects a CLI command to Temporal with the payload codec
// of the configured master key, or of `frontdesk dev`'s key file when none
// is configured (so `frontdesk call demo` works beside `make dev`).
func dialEncrypted(ctx context.Context, cfg config.Config, logger *slog.Logger) (client.Client, error) {
	useDevMasterKeyFile()
	master, previous, err := vault.MasterKeysFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	codec, err := vault.NewMasterPayloadCodec(master, previous...)
	if err != nil {
		return nil, err
	}
	return starter.DialEncrypted(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, logger, codec, cfg.Temporal.Apply)
}
