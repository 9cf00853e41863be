package pii
import ("testing";"os")
func TestDbgBatch(t *testing.T) {
	p := os.Getenv("PII_BATCH")
	if p == "" { t.Skip() }
	dumpMismatches(t, NewDetector(Options{}), p)
}
