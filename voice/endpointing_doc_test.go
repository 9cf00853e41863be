package voice

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestDefaultEndpointingDocSaysItsWaits: DefaultEndpointing's comment
// states the waits the code uses (it once said 600 ms where the code said
// 700 ms).
func TestDefaultEndpointingDocSaysItsWaits(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "session.go", nil, parser.ParseComments)
	require.NoError(t, err)
	var doc string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "DefaultEndpointing" {
			doc = strings.Join(strings.Fields(fd.Doc.Text()), " ")
		}
	}
	require.NotEmpty(t, doc)
	say := func(d time.Duration) string {
		if d < time.Second {
			return fmt.Sprintf("%d ms", d.Milliseconds())
		}
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", d.Seconds()), "0"), ".") + " s"
	}
	e := DefaultEndpointing()
	for what, d := range map[string]time.Duration{
		"speculatively at": e.SpeculateAfter,
		"turn ends at":     e.Complete,
		"unclear one at":   e.Unknown,
		"at":               e.Incomplete,
	} {
		require.Contains(t, doc, what+" "+say(d), "DefaultEndpointing's comment: %q", doc)
	}
}
