package voice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// StoreDirectory reads the agent's clinic data and free slots from
// Postgres under the call's own tenant claims (row-level security keeps a
// stream to its clinic's org).
type StoreDirectory struct {
	Store *store.Store
	// Vault opens the stored turns when a handed-over call resumes.
	Vault *vault.Vault
}

func (d StoreDirectory) ids(orgID, clinicID string) (uuid.UUID, uuid.UUID, error) {
	org, err1 := uuid.Parse(orgID)
	clinic, err2 := uuid.Parse(clinicID)
	if err := errors.Join(err1, err2); err != nil {
		return uuid.Nil, uuid.Nil, fmt.Errorf("directory: malformed ids: %w", err)
	}
	return org, clinic, nil
}

// ClinicProfile reads the clinic's name, hours, procedures and
// practitioners.
func (d StoreDirectory) ClinicProfile(ctx context.Context, orgID, clinicID, callSID string) (*ClinicProfile, error) {
	org, clinic, err := d.ids(orgID, clinicID)
	if err != nil {
		return nil, err
	}
	p, err := d.Store.ClinicProfile(ctx, store.CallClaims(org, callSID), clinic)
	if err != nil {
		return nil, err
	}
	out := &ClinicProfile{OrgID: orgID, ClinicID: clinicID, Name: p.Name, Timezone: p.Timezone, Hours: p.Hours}
	for _, pr := range p.Procedures {
		out.Procedures = append(out.Procedures, Procedure{ID: pr.ID.String(), Name: pr.Name, DurationMinutes: pr.DurationMinutes})
	}
	for _, pr := range p.Practitioners {
		out.Practitioners = append(out.Practitioners, Practitioner{ID: pr.ID.String(), Name: pr.Name})
	}
	return out, nil
}

// FreeSlots lists a day's free slots (a read: no workflow round trip).
func (d StoreDirectory) FreeSlots(ctx context.Context, orgID, clinicID, callSID string, day time.Time, procedureID string) ([]contract.FreeSlot, error) {
	org, clinic, err := d.ids(orgID, clinicID)
	if err != nil {
		return nil, err
	}
	proc := uuid.Nil
	if procedureID != "" {
		if proc, err = uuid.Parse(procedureID); err != nil {
			return nil, fmt.Errorf("directory: procedure_id is not a uuid")
		}
	}
	slots, err := d.Store.FreeSlots(ctx, store.CallClaims(org, callSID), clinic, day, proc)
	if err != nil {
		return nil, err
	}
	out := make([]contract.FreeSlot, 0, len(slots))
	for _, s := range slots {
		out = append(out, contract.FreeSlot{SlotID: s.SlotID.String(), PractitionerID: s.PractitionerID.String(), StartsAt: s.StartsAt, EndsAt: s.EndsAt})
	}
	return out, nil
}

// Conversation reads the call's turns back, decrypted under the call's
// claims (the read is audited), as agent and caller messages.
func (d StoreDirectory) Conversation(ctx context.Context, orgID, clinicID, callSID string) ([]Message, error) {
	org, _, err := d.ids(orgID, clinicID)
	if err != nil {
		return nil, err
	}
	if d.Vault == nil {
		return nil, errors.New("directory: no vault to read the conversation with")
	}
	turns, err := d.Store.ReadTurns(ctx, d.Vault, store.CallClaims(org, callSID), callSID, "media stream handed over")
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(turns))
	for _, t := range turns {
		role := RoleCaller
		if t.Speaker == contract.SpeakerAgent {
			role = RoleAgent
		}
		if t.Body.Text != "" {
			out = append(out, Message{Role: role, Text: t.Body.Text})
		}
	}
	return out, nil
}
