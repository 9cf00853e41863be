package vault_test

import (
	"testing"

	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/vault/vaulttest"
)

func TestMemoryKeyStoreContract(t *testing.T) {
	vaulttest.RunKeyStoreTests(t, func(*testing.T) vault.KeyStore { return vault.NewMemoryKeyStore() })
}
