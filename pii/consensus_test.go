package pii

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Consensus labels (testdata/consensus, twentieth round): a held-out set
// annotated a second time, blind, for its medical mentions, with the two
// annotations' disagreements settled by three blind readers. The
// detector plays no part in them. consensusDir holds the built sets,
// named like the writers' sets (so training refuses them by name).
var consensusDir = filepath.Join("testdata", "consensus")

// consensusSets are the held-outs that have consensus labels: 48 and 49
// for the twentieth round's test, 50 and 51 for its replication.
var consensusSets = []string{"48", "49", "50", "51"}

type consensusVotes struct {
	Set     string `json:"set"`
	Readers int    `json:"readers"`
	Items   []struct {
		Line, Start, End int
		Type, Kind       string
		Votes            []string
	} `json:"items"`
}

// TestConsensusSetsFollowTheirVotes checks what consensus/build.py wrote
// against its inputs: each consensus set has the writers' sentences and
// non-medical spans unchanged; a writer's medical span is gone only when
// a majority of readers refused it, a second annotator's is there only
// when a majority accepted it; every control was accepted by a
// majority (a reader who refuses controls is not reading the
// convention).
func TestConsensusSetsFollowTheirVotes(t *testing.T) {
	for _, n := range consensusSets {
		t.Run(n, func(t *testing.T) {
			name := "clinic_calls_heldout" + n + ".json"
			require.True(t, isHeldOut(filepath.Join(consensusDir, name)), "training must refuse consensus sets")
			writers, err := loadSamples(filepath.Join("testdata", name))
			require.NoError(t, err)
			cons, err := loadSamples(filepath.Join(consensusDir, name))
			require.NoError(t, err)
			require.Len(t, cons, len(writers))
			raw, err := os.ReadFile(filepath.Join(consensusDir, "heldout"+n+".votes.json"))
			require.NoError(t, err)
			var v consensusVotes
			require.NoError(t, json.Unmarshal(raw, &v))
			require.Equal(t, name, v.Set)
			require.Equal(t, 3, v.Readers)

			type key struct{ line, s, e int }
			kept := map[key]bool{}
			judged := map[key]string{}
			for _, it := range v.Items {
				require.Len(t, it.Votes, v.Readers)
				yes := 0
				for _, x := range it.Votes {
					if x == "yes" {
						yes++
					}
				}
				k := key{it.Line, it.Start, it.End}
				kept[k] = 2*yes > len(it.Votes)
				judged[k] = it.Kind
				if it.Kind == "agreed" {
					assert.True(t, kept[k], "control %v refused", k)
				}
			}
			allCons := map[key]bool{}
			for i := range writers {
				require.Equal(t, writers[i].Text, cons[i].Text, "line %d", i)
				var wOther, cOther []goldSpan
				wMed, cMed := map[key]bool{}, map[key]bool{}
				for _, g := range writers[i].Spans {
					if CategoryOf(g.Type) == CategoryMedical {
						wMed[key{i, g.Start, g.End}] = true
					} else {
						wOther = append(wOther, g)
					}
				}
				for _, g := range cons[i].Spans {
					if CategoryOf(g.Type) == CategoryMedical {
						cMed[key{i, g.Start, g.End}] = true
						allCons[key{i, g.Start, g.End}] = true
					} else {
						cOther = append(cOther, g)
					}
				}
				assert.Equal(t, wOther, cOther, "line %d: other categories keep the writers' labels", i)
				for k := range wMed {
					if judged[k] == "writer_only" {
						assert.Equal(t, kept[k], cMed[k], "line %d: writer's span %v follows its votes", i, k)
					} else {
						assert.True(t, cMed[k], "line %d: agreed span %v kept", i, k)
					}
				}
				for k := range cMed {
					if !wMed[k] {
						assert.Equal(t, "second_only", judged[k], "line %d: added span %v comes from the second annotation", i, k)
						assert.True(t, kept[k], "line %d: added span %v was accepted", i, k)
					}
				}
			}
			for _, it := range v.Items {
				k := key{it.Line, it.Start, it.End}
				if it.Kind == "second_only" {
					assert.Equal(t, kept[k], allCons[k], "second annotator's span %v follows its votes", k)
				}
			}
		})
	}
}
