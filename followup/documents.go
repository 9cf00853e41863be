package followup

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/frontdesk/frontdesk/store"
)

// DocumentStore is what rendering-with-a-cache needs from store.Store.
type DocumentStore interface {
	GuideForProcedure(ctx context.Context, c store.Claims, procedureID uuid.UUID) (store.Guide, error)
	ProcedureDocument(ctx context.Context, c store.Claims, procedureID uuid.UUID, version int) ([]byte, error)
	SaveProcedureDocument(ctx context.Context, c store.Claims, procedureID uuid.UUID, version int, pdf []byte) error
}

// ErrStaleVersion: the catalogue has moved on from the version asked for
// and that version was never rendered, so it cannot be reproduced.
var ErrStaleVersion = errors.New("procedure version no longer current")

// Document returns the PDF of one procedure version, rendering and caching
// it on first use. Rendering once per version (not per message) keeps the
// send path to one indexed read.
func Document(ctx context.Context, ds DocumentStore, c store.Claims, procedureID uuid.UUID, version int) ([]byte, error) {
	pdf, err := ds.ProcedureDocument(ctx, c, procedureID, version)
	if err == nil {
		return pdf, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	g, err := ds.GuideForProcedure(ctx, c, procedureID)
	if err != nil {
		return nil, err
	}
	if g.Version != version {
		return nil, fmt.Errorf("procedure version %d (current %d): %w", version, g.Version, ErrStaleVersion)
	}
	pdf, err = RenderGuide(Guide{Title: g.Title, DurationMinutes: g.DurationMinutes, Preparation: g.Preparation, Version: g.Version,
		ClinicName: g.ClinicName, ClinicAddress: g.ClinicAddress, ClinicPhone: g.ClinicPhone, BookingURL: g.BookingURL})
	if err != nil {
		return nil, err
	}
	if err := ds.SaveProcedureDocument(ctx, c, procedureID, version, pdf); err != nil {
		return nil, err
	}
	return pdf, nil
}
