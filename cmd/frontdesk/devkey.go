package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
