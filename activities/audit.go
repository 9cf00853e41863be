package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/frontdesk/frontdesk/contract"
)

// ExportAuditHeads reads every org's audit chain head (app.audit_heads,
// which only the worker's login may call) for the AuditAnchor workflow.
func (a *Activities) ExportAuditHeads(ctx context.Context) (contract.AuditAnchorResult, error) {
	heads, err := a.Store.AuditHeads(ctx)
	if err != nil {
		return contract.AuditAnchorResult{}, fmt.Errorf("export audit heads: %w", err)
	}
	out := contract.AuditAnchorResult{At: time.Now().UTC(), Heads: make([]contract.AuditHead, 0, len(heads))}
	for _, h := range heads {
		out.Heads = append(out.Heads, contract.AuditHead{OrgID: h.OrgID.String(), Seq: h.Seq, Hash: h.Hash, MAC: h.MAC, KeyID: h.KeyID})
	}
	return out, nil
}
