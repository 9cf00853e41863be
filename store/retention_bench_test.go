package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// BenchmarkPurgeCallTurns measures one retention purge of 200 calls (the
// activity's batch) with three turns each: key shredding, turn deletes and
// the audit row. ns/op divided by 200 is the cost per call.
//
//	go test ./store -run '^$' -bench PurgeCallTurns -benchtime 5x
func BenchmarkPurgeCallTurns(b *testing.B) {
	ctx := context.Background()
	_, st := testenv.DemoStore(b)
	v, err := vault.New(st.KeyStore(), vault.GenerateMasterKey())
	if err != nil {
		b.Fatal(err)
	}
	clinic := store.ClinicRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA}
	old := time.Now().Add(-40 * 24 * time.Hour)
	for b.Loop() {
		b.StopTimer()
		sids := make([]string, 200)
		for i := range sids {
			sids[i] = randomCallSID()
			end := old.Add(time.Hour)
			if err := st.RecordCall(ctx, clinic.OrgID, store.CallRecord{CallSID: sids[i], ClinicID: clinic.ClinicID, Status: "completed", StartedAt: old, EndedAt: &end}); err != nil {
				b.Fatal(err)
			}
			ref := store.CallRef{OrgID: clinic.OrgID, ClinicID: clinic.ClinicID, CallSID: sids[i]}
			for seq := 1; seq <= 3; seq++ {
				if _, err := st.SaveTurn(ctx, v, ref, store.Turn{Seq: seq, Speaker: "caller", Class: "medical", Body: store.TurnBody{Text: "my knee hurts"}}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		rep, err := st.PurgeCallTurns(ctx, v, clinic, sids, time.Now().Add(-30*24*time.Hour), 30)
		if err != nil || rep.KeysShredded != 200 || rep.TurnsDeleted != 600 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}
