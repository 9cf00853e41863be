package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// EnvErasureRetain lists the classes an erasure keeps (store.ParseRetention).
const EnvErasureRetain = "FRONTDESK_ERASURE_RETAIN"

// loadVault builds the vault over ks from FRONTDESK_MASTER_KEY (or _FILE)
// and FRONTDESK_MASTER_KEY_PREVIOUS.
func loadVault(ks vault.KeyStore) (*vault.Vault, vault.Key, []vault.Key, error) {
	master, previous, err := vault.MasterKeysFromEnv(os.Getenv)
	if err != nil {
		return nil, vault.Key{}, nil, err
	}
	v, err := vault.New(ks, master, previous...)
	if err != nil {
		return nil, vault.Key{}, nil, err
	}
	return v, master, previous, nil
}

// cliActor names who ran a CLI command in the audit log.
func cliActor(cmd string) string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return "cli:" + cmd + ":" + name
}

// adminPool opens DATABASE_ADMIN_URL, which must bypass row-level
// security: only rotation and audit verification across orgs use it.
func adminPool(ctx context.Context, cfg config.Config) (*pgxpool.Pool, error) {
	p, err := pgxpool.New(ctx, cfg.DatabaseAdminURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_ADMIN_URL: %w", err)
	}
	return p, nil
}

// runKeys: `keys generate` prints a new master key; `keys rotate`
// re-wraps every org key under FRONTDESK_MASTER_KEY (the old master in
// FRONTDESK_MASTER_KEY_PREVIOUS); `keys rotate --org ORG` gives an org a new
// key version and re-wraps its data keys. No data is re-encrypted.
func runKeys(ctx context.Context, args []string) error {
	usage := errors.New("usage: frontdesk keys generate | keys rotate [--org ORG]")
	if len(args) < 1 {
		return usage
	}
	switch args[0] {
	case "generate":
		fmt.Println(vault.EncodeMasterKey(vault.GenerateMasterKey()))
		fmt.Fprintln(os.Stderr, "store it as FRONTDESK_MASTER_KEY (or in a file named by FRONTDESK_MASTER_KEY_FILE); it is shown once")
		return nil
	case "rotate":
	default:
		return usage
	}
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	orgFlag := fs.String("org", "", "rotate this org's key (new version, data keys re-wrapped) instead of the master key")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg := config.FromEnv()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	admin, err := adminPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer admin.Close()
	v, master, previous, err := loadVault(st.AdminKeyStore(admin))
	if err != nil {
		return err
	}
	defer v.Destroy()
	actor := cliActor("keys-rotate")

	if *orgFlag != "" {
		org, err := uuid.Parse(*orgFlag)
		if err != nil {
			return fmt.Errorf("--org: %w", err)
		}
		n, err := v.RotateOrg(ctx, org.String())
		if err != nil {
			return err
		}
		if err := st.Audit(ctx, store.Claims{OrgID: org, Sub: actor, Role: "admin"}, store.AuditEntry{Actor: actor, Action: store.AuditKeyRotate,
			Subject: "org_key", Detail: map[string]any{"kind": "org", "data_keys_rewrapped": n}, Reason: "frontdesk keys rotate --org"}); err != nil {
			return err
		}
		fmt.Printf("org %s: new key version, %d data keys re-wrapped (no data re-encrypted)\n", org, n)
		return nil
	}

	if len(previous) == 0 {
		fmt.Fprintln(os.Stderr, "note: FRONTDESK_MASTER_KEY_PREVIOUS is empty: org keys wrapped by another master cannot be re-wrapped")
	}
	before, err := st.AdminKeyStore(admin).ListAllOrgKeys(ctx)
	if err != nil {
		return err
	}
	n, err := v.RotateMaster(ctx, master)
	if err != nil {
		return err
	}
	var orgs []string
	for _, k := range before {
		if !slices.Contains(orgs, k.OrgID) {
			orgs = append(orgs, k.OrgID)
		}
	}
	prevIDs := make([]string, 0, len(previous))
	for _, p := range previous {
		prevIDs = append(prevIDs, p.ID())
	}
	// Each org's chain records the rotation that touched its keys.
	for _, o := range orgs {
		org, err := uuid.Parse(o)
		if err != nil {
			return err
		}
		rewrapped := 0
		for _, k := range before {
			if k.OrgID == o && k.WrappingKeyID != master.ID() {
				rewrapped++
			}
		}
		if err := st.Audit(ctx, store.Claims{OrgID: org, Sub: actor, Role: "admin"}, store.AuditEntry{Actor: actor, Action: store.AuditKeyRotate,
			Subject: "master_key", Detail: map[string]any{"kind": "master", "to": master.ID(), "from": prevIDs, "org_keys_rewrapped": rewrapped},
			Reason: "frontdesk keys rotate"}); err != nil {
			return err
		}
	}
	fmt.Printf("master key %s: %d org keys re-wrapped across %d orgs (no data re-encrypted); FRONTDESK_MASTER_KEY_PREVIOUS may now be dropped once every process runs with the new key and Temporal's retention has passed\n", master.ID(), n, len(orgs))
	return nil
}

// runAudit: `audit verify [--org ORG] [--json] [--anchors N]` checks the
// hash chains, every row's MAC under the audit key (derived from
// FRONTDESK_MASTER_KEY, previous masters too) and the heads the newest N
// AuditAnchor runs exported to Temporal, and names the first broken link
// of each org.
func runAudit(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "verify" {
		return errors.New("usage: frontdesk audit verify [--org ORG] [--json] [--anchors N]")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	orgFlag := fs.String("org", "", "verify one org's chain (through its tenant transaction; no admin connection needed)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	anchors := fs.Int("anchors", 10, "check the heads exported by the newest N AuditAnchor runs (0: skip Temporal)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg := config.FromEnv()
	devenv.UseDevMasterKey()
	master, previous, err := vault.MasterKeysFromEnv(os.Getenv)
	if err != nil {
		return fmt.Errorf("the audit key is derived from the master key: %w", err)
	}
	sealer, err := vault.NewAuditSealer(master, previous...)
	if err != nil {
		return err
	}
	opts := store.VerifyOptions{Sealer: sealer}
	if *anchors > 0 {
		tc, err := dialEncrypted(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			return fmt.Errorf("reading the exported heads (--anchors 0 skips them): %w", err)
		}
		defer tc.Close()
		runs, err := starter.AuditAnchors(ctx, tc, cfg.TemporalNamespace, *anchors)
		if err != nil {
			return err
		}
		for _, r := range runs {
			for _, h := range r.Heads {
				org, err := uuid.Parse(h.OrgID)
				if err != nil {
					return fmt.Errorf("audit anchor of %s: %w", r.At, err)
				}
				opts.Heads = append(opts.Heads, store.AuditHead{OrgID: org, Seq: h.Seq, Hash: h.Hash, MAC: h.MAC, KeyID: h.KeyID})
			}
		}
		if len(runs) == 0 && !*asJSON {
			fmt.Println("note: no AuditAnchor run found in Temporal yet (the worker's Schedule exports heads every 15 minutes)")
		}
	}
	var res store.AuditVerification
	if *orgFlag != "" {
		org, err := uuid.Parse(*orgFlag)
		if err != nil {
			return fmt.Errorf("--org: %w", err)
		}
		st, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer st.Close()
		if res, err = st.VerifyAuditInTenantWith(ctx, store.Claims{OrgID: org, Sub: cliActor("audit-verify"), Role: "admin"}, opts); err != nil {
			return err
		}
	} else {
		admin, err := adminPool(ctx, cfg)
		if err != nil {
			return err
		}
		defer admin.Close()
		if res, err = store.VerifyAuditWith(ctx, admin, nil, opts); err != nil {
			return err
		}
	}
	if *asJSON {
		if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
			return err
		}
	} else {
		fmt.Printf("audit log: %d rows in %d org chains, %d sealed rows verified, %d exported heads checked\n", res.Rows, res.Orgs, res.Sealed, res.Heads)
		for _, b := range res.Broken {
			fmt.Printf("BROKEN  %s\n", b)
		}
	}
	if len(res.Broken) > 0 {
		return fmt.Errorf("%d chain(s) broken; first: org %s seq %d", len(res.Broken), res.Broken[0].OrgID, res.Broken[0].Seq)
	}
	if !*asJSON {
		fmt.Println("every chain intact")
	}
	return nil
}

// runErase: `erase --org ORG --patient ID` crypto-shreds a patient.
func runErase(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("erase", flag.ContinueOnError)
	orgFlag := fs.String("org", "", "the patient's org (uuid)")
	patientFlag := fs.String("patient", "", "the patient id (uuid)")
	reason := fs.String("reason", "erasure request (GDPR Art. 17)", "why, for the audit log (no personal data)")
	retain := fs.String("retain", os.Getenv(EnvErasureRetain), "classes to keep: bookings, medical or none (default: "+EnvErasureRetain+", else bookings)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	org, err := uuid.Parse(*orgFlag)
	if err != nil {
		return fmt.Errorf("--org: %w", err)
	}
	patient, err := uuid.Parse(*patientFlag)
	if err != nil {
		return fmt.Errorf("--patient: %w", err)
	}
	keep, err := store.ParseRetention(*retain)
	if err != nil {
		return err
	}
	cfg := config.FromEnv()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	v, _, _, err := loadVault(st.KeyStore())
	if err != nil {
		return err
	}
	defer v.Destroy()
	actor := cliActor("erase")
	rep, err := st.ErasePatient(ctx, v, store.Claims{OrgID: org, Sub: actor, Role: "admin"}, patient, keep, *reason)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(rep)
}
