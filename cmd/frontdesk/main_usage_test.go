package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/bench"
)

// dispatchedSubcommands reads this package's source for what each run
// function dispatches on: the string literals it compares args[0] with
// (`switch args[0] { case "scan": ... }`, `args[0] != "demo"`).
func dispatchedSubcommands(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	out := map[string][]string{}
	isArg0 := func(e ast.Expr) bool {
		ix, ok := e.(*ast.IndexExpr)
		if !ok {
			return false
		}
		id, ok := ix.X.(*ast.Ident)
		lit, ok2 := ix.Index.(*ast.BasicLit)
		return ok && ok2 && id.Name == "args" && lit.Value == "0"
	}
	add := func(fn string, e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			v, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			if !slices.Contains(out[fn], v) {
				out[fn] = append(out[fn], v)
			}
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			name := fd.Name.Name
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SwitchStmt:
					if n.Tag != nil && isArg0(n.Tag) {
						for _, s := range n.Body.List {
							for _, e := range s.(*ast.CaseClause).List {
								add(name, e)
							}
						}
					}
				case *ast.BinaryExpr:
					if (n.Op == token.EQL || n.Op == token.NEQ) && isArg0(n.X) {
						add(name, n.Y)
					}
				}
				return true
			})
		}
	}
	return out
}

// TestUsageListsEverySubcommand: `frontdesk --help` names every command
// main dispatches and, on the command's line, every subcommand that
// command dispatches (bench's are bench.Names()), so a new one cannot be
// left out of the help.
func TestUsageListsEverySubcommand(t *testing.T) {
	var buf bytes.Buffer
	usage(&buf)
	lines := map[string]string{}
	for _, l := range strings.Split(buf.String(), "\n")[1:] {
		if f := strings.Fields(l); len(f) > 1 {
			lines[f[0]] = strings.Join(f[1:], " ")
		}
	}
	subs := dispatchedSubcommands(t)
	checked := 0
	for _, c := range commands() {
		line, ok := lines[c.name]
		require.True(t, ok, "--help lists %s", c.name)
		fn := runtime.FuncForPC(reflect.ValueOf(c.run).Pointer()).Name()
		fn = fn[strings.LastIndex(fn, ".")+1:]
		want := subs[fn]
		if c.name == "bench" {
			want = bench.Names()
		}
		words := regexp.MustCompile(`[a-z][a-z-]*`).FindAllString(line, -1)
		for _, sub := range want {
			require.Contains(t, words, sub, "--help's line for %s names its subcommand %s (%s dispatches it)", c.name, sub, fn)
			checked++
		}
	}
	require.Contains(t, subs["runPII"], "train")
	require.Contains(t, bench.Names(), "voice")
	require.Greater(t, checked, 10)
}
