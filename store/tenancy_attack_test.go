package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// The tenancy attack suite: as org A, try every way to read, write, move,
// delete or reference org B's rows, in every tenant table (found from the
// catalogue, so a new table is attacked without anyone remembering to add
// it) and through every SQL function. It counts attempts and leaks and
// fails on any leak. Positive controls make sure a policy that hid
// everything could not pass.

var (
	orgA = store.DemoOrgA
	orgB = store.DemoOrgB
)

type tally struct {
	t        *testing.T
	attempts int
	leaks    []string
	byKind   map[string]int
}

func (tl *tally) check(kind string, leaked bool, format string, args ...any) {
	tl.attempts++
	tl.byKind[kind]++
	if leaked {
		tl.leaks = append(tl.leaks, kind+": "+fmt.Sprintf(format, args...))
	}
}

type tenantTable struct {
	name   string
	orgCol string   // "org_id", or "id" for app.orgs
	pk     []string // primary-key columns
	// writable are the columns an INSERT may name (not generated ones).
	writable []string
}

// insertFromJSON inserts one row given as a JSON object ($1).
func (tt tenantTable) insertFromJSON() string {
	cols := strings.Join(tt.writable, ", ")
	return "insert into app." + tt.name + " (" + cols + ") select " + cols + " from jsonb_populate_record(null::app." + tt.name + ", $1)"
}

type attackEnv struct {
	ctx    context.Context
	db     *testenv.Database
	store  *store.Store
	admin  *pgx.Conn
	tables []tenantTable
}

func newAttackEnv(t *testing.T) *attackEnv {
	t.Helper()
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(ctx) })
	env := &attackEnv{ctx: ctx, db: db, store: st, admin: admin}
	env.plantFixtures(t)
	env.tables = discoverTables(t, admin)
	return env
}

// plantFixtures gives every tenant table rows in both orgs, written the way
// the application writes them.
func (e *attackEnv) plantFixtures(t *testing.T) {
	t.Helper()
	// Personal data is encrypted through the store's Postgres KeyStore, as
	// the worker does.
	fixtureVault, err := vault.New(e.store.KeyStore(), vault.GenerateMasterKey())
	require.NoError(t, err)
	for i, org := range []uuid.UUID{orgA, orgB} {
		clinic := []uuid.UUID{store.DemoClinicA, store.DemoClinicB}[i]
		for n := 0; n < 3; n++ {
			sid := randomCallSID()
			require.NoError(t, e.store.RecordCall(e.ctx, org, store.CallRecord{CallSID: sid, ClinicID: clinic, Status: "completed", StartedAt: time.Now()}))
			c := store.CallClaims(org, sid)
			require.NoError(t, e.store.InTenant(e.ctx, c, func(tx pgx.Tx) error {
				var slot, proc uuid.UUID
				if err := tx.QueryRow(e.ctx, `select id from app.procedures order by code limit 1`).Scan(&proc); err != nil {
					return err
				}
				if err := tx.QueryRow(e.ctx, `select slot_id from app.open_slots($1, now(), now() + interval '30 days', 5) order by starts_at offset $2 limit 1`, clinic, n).Scan(&slot); err != nil {
					return err
				}
				var status string
				var hold uuid.UUID
				if err := tx.QueryRow(e.ctx, `select status, hold_id from app.lock_slot($1, $2, 600)`, slot, sid).Scan(&status, &hold); err != nil {
					return err
				}
				if status != "held" {
					return fmt.Errorf("fixture hold: %s", status)
				}
				if n == 0 {
					return nil // leave one live hold per org
				}
				return tx.QueryRow(e.ctx, `select status from app.confirm_booking($1, $2, $3)`, hold, sid, proc).Scan(&status)
			}))
			// Personal data, as the turn activity writes it: org and data
			// keys, a patient linked to the call, an encrypted turn and the
			// audit rows of both.
			ref := store.CallRef{OrgID: org, ClinicID: clinic, CallSID: sid}
			route := store.AuditEntry{Actor: c.Sub, Action: store.AuditRoute, Detail: map[string]any{"field": "date_of_birth", "class": "identity"}}
			_, err := e.store.RecordPatient(e.ctx, fixtureVault, ref, store.PatientFields{Name: "Fixture Patient", Phone: "+447700900" + fmt.Sprint(100+n), DateOfBirth: "1980-01-0" + fmt.Sprint(n+1)}, route)
			require.NoError(t, err)
			_, err = e.store.SaveTurn(e.ctx, fixtureVault, ref, store.Turn{Seq: 1, Speaker: "caller", Class: "medical", Body: store.TurnBody{Text: "fixture turn"}}, route)
			require.NoError(t, err)
		}
		e.plantFollowUpFixtures(t, org, clinic)
	}
}

// plantFollowUpFixtures writes the follow-up tables of one org through the
// store, as the api and the follow-up activities do.
func (e *attackEnv) plantFollowUpFixtures(t *testing.T, org, clinic uuid.UUID) {
	t.Helper()
	sid := randomCallSID()
	phone := "+447700900" + fmt.Sprint(200+int(org[15]))
	require.NoError(t, e.store.RecordCallContact(e.ctx, store.ClinicRef{OrgID: org, ClinicID: clinic}, sid, phone))
	c := store.CallClaims(org, sid)
	var proc uuid.UUID
	require.NoError(t, e.store.InTenant(e.ctx, c, func(tx pgx.Tx) error {
		return tx.QueryRow(e.ctx, `select id from app.procedures order by code limit 1`).Scan(&proc)
	}))
	require.NoError(t, e.store.SaveProcedureDocument(e.ctx, c, proc, 1, []byte("%PDF-1.3 fixture")))
	claim, err := e.store.ClaimOutbox(e.ctx, store.OutboxEntry{OrgID: org, ClinicID: clinic, CallSID: sid, Purpose: store.PurposeFollowUp, Body: "fixture"}, proc)
	require.NoError(t, err)
	require.True(t, claim.Created, "fixture outbox row (blocked: %q)", claim.Blocked)
	require.NoError(t, e.store.SetSMSOptOut(e.ctx, org, "+447700900"+fmt.Sprint(300+int(org[15])), true))
	_, err = e.store.ApplySMSKeyword(e.ctx, org, store.SMSKeyword{MessageSID: "SM" + strings.TrimPrefix(randomCallSID(), "CA"),
		Phone: "+447700900" + fmt.Sprint(400+int(org[15])), OptOut: true, SentAt: time.Now()})
	require.NoError(t, err)
}

func discoverTables(t *testing.T, admin *pgx.Conn) []tenantTable {
	t.Helper()
	ctx := context.Background()
	rows, err := admin.Query(ctx, `
		select c.relname,
		       array(select a.attname::text from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
		             where i.indrelid = c.oid and i.indisprimary order by array_position(i.indkey, a.attnum))
		       , array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum)
		from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind in ('r', 'p') order by 1`)
	require.NoError(t, err)
	var out []tenantTable
	for rows.Next() {
		var tt tenantTable
		require.NoError(t, rows.Scan(&tt.name, &tt.pk, &tt.writable))
		tt.orgCol = "org_id"
		if tt.name == "orgs" {
			tt.orgCol = "id"
		}
		out = append(out, tt)
	}
	require.NoError(t, rows.Err())
	require.GreaterOrEqual(t, len(out), 8, "tenant tables found: %v", out)
	return out
}

// narrowedGrants are the tables that grant authenticated fewer than all
// four commands.
var narrowedGrants = map[string]bool{"audit_log": true, "org_keys": true, "data_keys": true, "call_turns": true}

// TestSchemaShapeForTenancy checks the catalogue: every app table forces
// row-level security, has org_id with an index that leads with it, policies
// for every command keyed on auth.org_id(), no privileges for the login
// role, composite foreign keys, no leaky views, functions or sequences.
func TestSchemaShapeForTenancy(t *testing.T) {
	e := newAttackEnv(t)
	ctx := e.ctx
	for _, tt := range e.tables {
		var rls, force bool
		require.NoError(t, e.admin.QueryRow(ctx, `select relrowsecurity, relforcerowsecurity from pg_class where oid = ('app.' || $1)::regclass`, tt.name).Scan(&rls, &force))
		require.True(t, rls && force, "%s: row-level security must be enabled and forced", tt.name)

		var leading bool
		require.NoError(t, e.admin.QueryRow(ctx, `select exists (select from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
			where i.indrelid = ('app.' || $1)::regclass and a.attname = $2)`, tt.name, tt.orgCol).Scan(&leading))
		require.True(t, leading, "%s: needs an index leading with %s", tt.name, tt.orgCol)

		rows, err := e.admin.Query(ctx, `select cmd, coalesce(qual, ''), coalesce(with_check, ''), roles::text[] from pg_policies where schemaname = 'app' and tablename = $1`, tt.name)
		require.NoError(t, err)
		cmds := map[string]bool{}
		for rows.Next() {
			var cmd, qual, check string
			var roles []string
			require.NoError(t, rows.Scan(&cmd, &qual, &check, &roles))
			if len(roles) == 1 && roles[0] == "frontdesk_definer" {
				continue // the narrow lookup role, checked below through its functions
			}
			require.Equal(t, []string{"authenticated"}, roles, "%s: policy for %s applies to %v", tt.name, cmd, roles)
			cmds[cmd] = true
			for _, expr := range []string{qual, check} {
				if expr != "" {
					require.Contains(t, expr, "auth.org_id()", "%s %s policy: %s", tt.name, cmd, expr)
					require.Contains(t, expr, "SELECT", "%s %s policy must wrap auth.org_id() in a subselect: %s", tt.name, cmd, expr)
				}
			}
		}
		require.NoError(t, rows.Err())
		// A policy for every command the table grants to authenticated, and
		// for every other table all four: only the tables below may narrow
		// their grants (keys are never updated on the request path, turns
		// are immutable, the audit log is append-only).
		granted := map[string]bool{}
		for _, cmd := range []string{"SELECT", "INSERT", "UPDATE", "DELETE"} {
			var ok bool
			require.NoError(t, e.admin.QueryRow(ctx, `select has_table_privilege('authenticated', 'app.' || $1, $2)`, tt.name, cmd).Scan(&ok))
			if ok {
				granted[cmd] = true
			}
		}
		require.Equal(t, granted, cmds, "%s: a policy for each command granted to authenticated, and no other", tt.name)
		if !narrowedGrants[tt.name] {
			require.Equal(t, map[string]bool{"SELECT": true, "INSERT": true, "UPDATE": true, "DELETE": true}, cmds, "%s: policies", tt.name)
		}
		if tt.name == "audit_log" {
			// Appended only through app.audit_append (migration 00011).
			require.Equal(t, map[string]bool{"SELECT": true}, cmds, "audit_log: select only; inserts go through the definer")
		} else {
			require.True(t, cmds["SELECT"] && cmds["INSERT"], "%s: select and insert policies", tt.name)
		}

		var priv bool
		require.NoError(t, e.admin.QueryRow(ctx, `select has_table_privilege('frontdesk_app', 'app.' || $1, 'select,insert,update,delete')`, tt.name).Scan(&priv))
		require.False(t, priv, "%s: the services' login role must hold no table privileges of its own", tt.name)
		var owner string
		require.NoError(t, e.admin.QueryRow(ctx, `select pg_get_userbyid(relowner) from pg_class where oid = ('app.' || $1)::regclass`, tt.name).Scan(&owner))
		require.Equal(t, "frontdesk_owner", owner, "%s owner", tt.name)
	}

	// Foreign keys between tenant tables carry org_id on both sides, so a
	// reference can never reach another org's row (FK checks ignore RLS).
	rows, err := e.admin.Query(ctx, `
		select conname, conrelid::regclass::text, confrelid::regclass::text,
		       array(select attname::text from pg_attribute where attrelid = conrelid and attnum = any(conkey)),
		       array(select attname::text from pg_attribute where attrelid = confrelid and attnum = any(confkey))
		from pg_constraint where contype = 'f' and connamespace = 'app'::regnamespace`)
	require.NoError(t, err)
	fks := 0
	for rows.Next() {
		var name, from, to string
		var cols, refs []string
		require.NoError(t, rows.Scan(&name, &from, &to, &cols, &refs))
		fks++
		if to == "app.orgs" {
			require.Equal(t, []string{"org_id"}, cols, "%s", name)
			continue
		}
		require.Contains(t, cols, "org_id", "%s on %s must include org_id", name, from)
		require.Contains(t, refs, "org_id", "%s on %s must reference org_id", name, from)
	}
	require.NoError(t, rows.Err())
	require.Greater(t, fks, 5)

	var views, seqs int
	require.NoError(t, e.admin.QueryRow(ctx, `select count(*) from pg_class where relnamespace = 'app'::regnamespace and relkind in ('v', 'm')
		and not coalesce('security_invoker=true' = any(reloptions), false)`).Scan(&views))
	require.Zero(t, views, "views must be security_invoker")
	require.NoError(t, e.admin.QueryRow(ctx, `select count(*) from pg_class where relnamespace = 'app'::regnamespace and relkind = 'S'`).Scan(&seqs))
	require.Zero(t, seqs, "ids are uuids: a sequence would leak other orgs' row counts")

	// SECURITY DEFINER functions: only the known narrow ones, owned by a
	// role that is neither superuser nor owner of the tables, with a fixed
	// search_path.
	rows, err = e.admin.Query(ctx, `select p.proname, pg_get_userbyid(p.proowner), r.rolsuper, r.rolbypassrls, coalesce(array_to_string(p.proconfig, ','), '')
		from pg_proc p join pg_roles r on r.oid = p.proowner
		where p.pronamespace in ('app'::regnamespace, 'auth'::regnamespace) and p.prosecdef`)
	require.NoError(t, err)
	definers := map[string]bool{}
	for rows.Next() {
		var name, owner, config string
		var super, bypass bool
		require.NoError(t, rows.Scan(&name, &owner, &super, &bypass, &config))
		definers[name] = true
		require.Equal(t, "frontdesk_definer", owner, "%s", name)
		require.False(t, super || bypass, "%s: definer must not be superuser or bypass RLS", name)
		require.Contains(t, config, "search_path=", "%s: fixed search_path", name)
	}
	require.NoError(t, rows.Err())
	for name := range definers {
		require.Contains(t, []string{"clinic_for_number", "sweep_expired_holds", "retention_clinics", "audit_append", "audit_seal", "audit_heads"}, name, "unexpected SECURITY DEFINER function")
	}
}

// TestRowLevelSecurityAttack is the attack itself.
func TestRowLevelSecurityAttack(t *testing.T) {
	e := newAttackEnv(t)
	tl := &tally{t: t, byKind: map[string]int{}}
	// Both directions: A attacks B, then B attacks A.
	for _, dir := range [][2]uuid.UUID{{orgA, orgB}, {orgB, orgA}} {
		orgA, orgB := dir[0], dir[1]
		a := store.Claims{OrgID: orgA, Sub: "attacker", Role: "admin"}
		for _, tt := range e.tables {
			t.Run(tt.name, func(t *testing.T) {
				bRows := e.rowsOf(t, tt, orgB)
				aRows := e.rowsOf(t, tt, orgA)
				require.NotEmpty(t, bRows, "fixture: %s needs rows of org B", tt.name)
				require.NotEmpty(t, aRows, "fixture: %s needs rows of org A", tt.name)

				// Scan: A sees exactly its own rows (positive control) and none of B's.
				var visible, foreign int
				require.NoError(t, e.store.InTenant(e.ctx, a, func(tx pgx.Tx) error {
					return tx.QueryRow(e.ctx, fmt.Sprintf(`select count(*), count(*) filter (where %s <> $1) from app.%s`, tt.orgCol, tt.name), orgA).Scan(&visible, &foreign)
				}))
				tl.check("scan", foreign > 0, "%s: %d foreign rows", tt.name, foreign)
				require.Equal(t, len(aRows), visible, "%s: org A must see all of its own rows", tt.name)

				// Join: through every other table, nothing of B appears.
				tl.check("join", e.count(t, a, fmt.Sprintf(`select count(*) from app.%s x join app.orgs o on o.id = x.%s where o.id = $1`, tt.name, tt.orgCol), orgB) > 0, "%s join orgs", tt.name)

				for _, row := range bRows {
					where, args := pkWhere(tt, row)
					tl.check("read by id", e.count(t, a, "select count(*) from app."+tt.name+" where "+where, args...) > 0, "%s %v", tt.name, args)
					var n int
					require.NoError(t, e.store.AsService(e.ctx, func(tx pgx.Tx) error {
						return tx.QueryRow(e.ctx, "select count(*) from app."+tt.name+" where "+where, args...).Scan(&n)
					}))
					tl.check("read by id without claims", n > 0, "%s %v", tt.name, args)
					n64, err := e.execRollback(a, "update app."+tt.name+" set "+tt.orgCol+" = "+tt.orgCol+" where "+where, args...)
					tl.check("update foreign", err == nil && n64 > 0, "%s %v", tt.name, args)
					n64, err = e.execRollback(a, "delete from app."+tt.name+" where "+where, args...)
					tl.check("delete foreign", err == nil && n64 > 0, "%s %v", tt.name, args)
				}

				// Insert a row in B's name (a copy of one of A's rows with fresh keys):
				// refused by the policy's WITH CHECK (42501), not by luck.
				for _, row := range aRows[:min(len(aRows), 5)] {
					forged := freshCopy(tt, row)
					forged[tt.orgCol] = orgB.String()
					_, err := e.execRollback(a, tt.insertFromJSON(), jsonOf(forged))
					tl.check("insert as other org", err == nil, "%s", tt.name)
					requireSQLStateFor(t, err, "42501", tt.name+": insert in B's name")

					// Move one of A's rows into B.
					where, args := pkWhere(tt, row)
					_, err = e.execRollback(a, "update app."+tt.name+" set "+tt.orgCol+" = $"+fmt.Sprint(len(args)+1)+" where "+where, append(args, orgB)...)
					tl.check("move to other org", err == nil, "%s", tt.name)
					requireSQLStateFor(t, err, "42501", tt.name+": move to B")
				}

				// No claims: nothing visible, nothing writable.
				var none int
				require.NoError(t, e.store.AsService(e.ctx, func(tx pgx.Tx) error {
					return tx.QueryRow(e.ctx, "select count(*) from app."+tt.name).Scan(&none)
				}))
				tl.check("no claims read", none > 0, "%s: %d rows", tt.name, none)
				err := e.store.AsService(e.ctx, func(tx pgx.Tx) error {
					_, err := tx.Exec(e.ctx, tt.insertFromJSON(), jsonOf(freshCopy(tt, aRows[0])))
					return err
				})
				tl.check("no claims write", err == nil, "%s", tt.name)
				requireSQLStateFor(t, err, "42501", tt.name+": insert without claims")
			})
		}
	}

	a := store.Claims{OrgID: orgA, Sub: "attacker", Role: "admin"}
	e.attackForeignKeys(t, tl, a)
	e.attackFunctions(t, tl, a)
	e.attackPooledConnections(t, tl)

	kinds := make([]string, 0, len(tl.byKind))
	for k := range tl.byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var summary []string
	for _, k := range kinds {
		summary = append(summary, fmt.Sprintf("%s %d", k, tl.byKind[k]))
	}
	t.Logf("tenancy attack: %d attempts over %d tables, %d leaks (%s)", tl.attempts, len(e.tables), len(tl.leaks), strings.Join(summary, ", "))
	require.Empty(t, tl.leaks)
	require.Greater(t, tl.attempts, 1000)
}

// attackForeignKeys: A's rows pointing at B's rows must be refused by the
// composite foreign keys even though A can write its own table.
func (e *attackEnv) attackForeignKeys(t *testing.T, tl *tally, a store.Claims) {
	rows, err := e.admin.Query(e.ctx, `
		select conrelid::regclass::text, confrelid::regclass::text,
		       array(select attname::text from unnest(conkey) with ordinality k(n, i) join pg_attribute on attrelid = conrelid and attnum = k.n order by k.i),
		       array(select attname::text from unnest(confkey) with ordinality k(n, i) join pg_attribute on attrelid = confrelid and attnum = k.n order by k.i)
		from pg_constraint where contype = 'f' and connamespace = 'app'::regnamespace and confrelid <> 'app.orgs'::regclass`)
	require.NoError(t, err)
	type fk struct {
		child, parent string
		cols, refs    []string
	}
	var fks []fk
	for rows.Next() {
		var f fk
		require.NoError(t, rows.Scan(&f.child, &f.parent, &f.cols, &f.refs))
		fks = append(fks, f)
	}
	require.NoError(t, rows.Err())
	for _, f := range fks {
		child := e.tableByName(t, strings.TrimPrefix(f.child, "app."))
		parentB := e.rowsOf(t, e.tableByName(t, strings.TrimPrefix(f.parent, "app.")), orgB)[0]
		forged := freshCopy(child, e.rowsOf(t, child, orgA)[0])
		for i, col := range f.cols {
			if col != "org_id" {
				forged[col] = parentB[f.refs[i]]
			}
		}
		_, err := e.execRollback(a, child.insertFromJSON(), jsonOf(forged))
		tl.check("reference other org", err == nil, "%s -> %s", f.child, f.parent)
		requireSQLStateFor(t, err, "23503", f.child+" referencing "+f.parent+" of B")
	}
}

// attackFunctions calls every SQL function with B's ids as A.
func (e *attackEnv) attackFunctions(t *testing.T, tl *tally, a store.Claims) {
	var bSlot, bHold, bClinic, bProc uuid.UUID
	var bCall string
	require.NoError(t, e.admin.QueryRow(e.ctx, `select id from app.slots where org_id = $1 limit 1`, orgB).Scan(&bSlot))
	require.NoError(t, e.admin.QueryRow(e.ctx, `select id, call_sid from app.holds where org_id = $1 and released_at is null limit 1`, orgB).Scan(&bHold, &bCall))
	require.NoError(t, e.admin.QueryRow(e.ctx, `select id from app.procedures where org_id = $1 limit 1`, orgB).Scan(&bProc))
	bClinic = store.DemoClinicB
	day := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)

	calls := []struct {
		name, sql string
		args      []any
		leak      func(tx pgx.Tx, rows [][]any) bool
	}{
		{"lock_slot", `select status from app.lock_slot($1, $2, 60)`, []any{bSlot, randomCallSID()}, func(_ pgx.Tx, r [][]any) bool { return r[0][0] != "not_found" }},
		{"confirm_booking", `select status from app.confirm_booking($1, $2, $3)`, []any{bHold, bCall, bProc}, func(_ pgx.Tx, r [][]any) bool { return r[0][0] == "booked" }},
		{"release_hold", `select app.release_hold($1, $2)`, []any{bHold, bCall}, func(_ pgx.Tx, r [][]any) bool { return r[0][0] == "released" }},
		{"release_call_holds", `select app.release_call_holds($1)`, []any{bCall}, func(_ pgx.Tx, r [][]any) bool { return r[0][0].(int32) > 0 }},
		{"open_slots", `select * from app.open_slots($1, now(), now() + interval '30 days', 5)`, []any{bClinic}, func(_ pgx.Tx, r [][]any) bool { return len(r) > 0 }},
		{"free_slots", `select * from app.free_slots($1, $2::date, $3)`, []any{bClinic, day, bProc}, func(_ pgx.Tx, r [][]any) bool { return len(r) > 0 }},
		{"nearest_free_slots", `select * from app.nearest_free_slots($1, $2, 10)`, []any{bSlot, bProc}, func(_ pgx.Tx, r [][]any) bool { return len(r) > 0 }},
		// The sweeper crosses orgs by design but only ends expired holds:
		// B's live hold must survive it (checked below).
		{"sweep_expired_holds", `select app.sweep_expired_holds()`, nil, func(pgx.Tx, [][]any) bool { return false }},
		// The retention walk lists every org's clinics by design, but only
		// ids and the retention setting: nothing more may come back.
		{"retention_clinics", `select * from app.retention_clinics(null, 1000)`, nil, func(_ pgx.Tx, r [][]any) bool { return len(r) > 0 && len(r[0]) != 3 }},
	}
	for _, c := range calls {
		var rows [][]any
		err := e.store.InTenant(e.ctx, a, func(tx pgx.Tx) error {
			r, err := tx.Query(e.ctx, c.sql, c.args...)
			if err != nil {
				return err
			}
			for r.Next() {
				v, err := r.Values()
				if err != nil {
					return err
				}
				rows = append(rows, v)
			}
			if err := r.Err(); err != nil {
				return err
			}
			tl.check("function "+c.name, c.leak(tx, rows), "%v", rows)
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			require.NoError(t, err, c.name)
		}
	}
	// Every one of B's slots, through the functions that take a slot id.
	var holdsBefore int
	require.NoError(t, e.admin.QueryRow(e.ctx, `select count(*) from app.holds where org_id = $1`, orgB).Scan(&holdsBefore))
	rows, err := e.admin.Query(e.ctx, `select id from app.slots where org_id = $1`, orgB)
	require.NoError(t, err)
	bSlots, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	require.NoError(t, err)
	for _, slot := range bSlots {
		var status string
		var near int
		require.NoError(t, e.store.InTenant(e.ctx, a, func(tx pgx.Tx) error {
			if err := tx.QueryRow(e.ctx, `select status from app.lock_slot($1, $2, 60)`, slot, randomCallSID()).Scan(&status); err != nil {
				return err
			}
			return tx.QueryRow(e.ctx, `select count(*) from app.nearest_free_slots($1, $2, 5)`, slot, bProc).Scan(&near)
		}))
		tl.check("function lock_slot", status != "not_found", "slot %s: %s", slot, status)
		tl.check("function nearest_free_slots", near > 0, "slot %s: %d", slot, near)
	}
	var bHolds int
	require.NoError(t, e.admin.QueryRow(e.ctx, `select count(*) from app.holds where org_id = $1`, orgB).Scan(&bHolds))
	require.Equal(t, holdsBefore, bHolds, "no hold may appear in B through A's calls")

	// B's hold and booking are untouched after all that.
	var live int
	require.NoError(t, e.admin.QueryRow(e.ctx, `select count(*) from app.holds where id = $1 and released_at is null`, bHold).Scan(&live))
	require.Equal(t, 1, live)

	// The one cross-tenant lookup answers ids and nothing else.
	err = e.store.AsService(e.ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(e.ctx, `select * from app.clinic_for_number($1)`, store.DemoNumberB)
		if err != nil {
			return err
		}
		defer rows.Close()
		var names []string
		for _, f := range rows.FieldDescriptions() {
			names = append(names, f.Name)
		}
		require.Equal(t, []string{"clinic_id", "org_id"}, names)
		return nil
	})
	require.NoError(t, err)

	// Escalation from inside a tenant transaction.
	for _, stmt := range []string{"set role frontdesk_owner", "set role frontdesk_definer", "set role postgres", "set session authorization postgres"} {
		err := e.store.InTenant(e.ctx, a, func(tx pgx.Tx) error {
			_, err := tx.Exec(e.ctx, stmt)
			return err
		})
		tl.check("escalate", err == nil, "%s", stmt)
	}
	err = e.store.InTenant(e.ctx, a, func(tx pgx.Tx) error {
		if _, err := tx.Exec(e.ctx, "reset role"); err != nil {
			return err
		}
		var n int
		return tx.QueryRow(e.ctx, "select count(*) from app.slots").Scan(&n)
	})
	tl.check("escalate", err == nil, "reset role then read")
	requireSQLStateFor(t, err, "42501", "the login role reads a table")
}

// attackPooledConnections: a connection that a request left with a
// session-level role or claims, or inside a failed or rolled-back
// transaction, must not carry them into the next request.
func (e *attackEnv) attackPooledConnections(t *testing.T, tl *tally) {
	single, err := store.Open(e.ctx, e.db.AppURL+"&pool_max_conns=1")
	require.NoError(t, err)
	defer single.Close()
	bClaims, _ := json.Marshal(store.Claims{OrgID: orgB, Sub: "victim", Role: "admin"})

	poison := []struct {
		name string
		fn   func() error
	}{
		{"session-level set_config and SET ROLE on a raw connection", func() error {
			c, err := single.Pool().Acquire(e.ctx)
			if err != nil {
				return err
			}
			defer c.Release()
			_, err = c.Exec(e.ctx, "select set_config('request.jwt.claims', $1, false)", string(bClaims))
			if err != nil {
				return err
			}
			_, err = c.Exec(e.ctx, "set role authenticated")
			return err
		}},
		{"session-level settings committed inside a tenant transaction", func() error {
			return single.InTenant(e.ctx, store.Claims{OrgID: orgB, Sub: "victim", Role: "admin"}, func(tx pgx.Tx) error {
				_, err := tx.Exec(e.ctx, "select set_config('request.jwt.claims', $1, false)", string(bClaims))
				return err
			})
		}},
		{"a failed tenant transaction", func() error {
			_ = single.InTenant(e.ctx, store.Claims{OrgID: orgB, Sub: "victim", Role: "admin"}, func(tx pgx.Tx) error {
				_, err := tx.Exec(e.ctx, "select 1/0")
				return err
			})
			return nil
		}},
		{"a rolled-back tenant transaction", func() error {
			_ = single.InTenant(e.ctx, store.Claims{OrgID: orgB, Sub: "victim", Role: "admin"}, func(tx pgx.Tx) error { return errRollback })
			return nil
		}},
	}
	for _, p := range poison {
		require.NoError(t, p.fn(), p.name)
		// Next request on the same (only) connection, as org A.
		var foreign int
		require.NoError(t, single.InTenant(e.ctx, store.Claims{OrgID: orgA, Sub: "next", Role: "staff"}, func(tx pgx.Tx) error {
			return tx.QueryRow(e.ctx, "select count(*) from app.slots where org_id <> $1", orgA).Scan(&foreign)
		}))
		tl.check("pooled connection", foreign > 0, "%s: %d foreign rows", p.name, foreign)
		// And a raw use of the connection carries neither role nor claims.
		c, err := single.Pool().Acquire(e.ctx)
		require.NoError(t, err)
		var user, claims string
		require.NoError(t, c.QueryRow(e.ctx, "select current_user::text, coalesce(current_setting('request.jwt.claims', true), '')").Scan(&user, &claims))
		var n int
		err = c.QueryRow(e.ctx, "select count(*) from app.slots").Scan(&n)
		c.Release()
		tl.check("pooled connection", user != "frontdesk_app" || claims != "" || err == nil, "%s: user %s claims %q read err %v", p.name, user, claims, err)
	}
}

var errRollback = errors.New("rollback")

// execRollback runs one statement as c and rolls it back, returning the
// rows it touched.
func (e *attackEnv) execRollback(c store.Claims, sql string, args ...any) (int64, error) {
	var n int64
	err := e.store.InTenant(e.ctx, c, func(tx pgx.Tx) error {
		tag, err := tx.Exec(e.ctx, sql, args...)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		return errRollback
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return n, err
}

func (e *attackEnv) count(t *testing.T, c store.Claims, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, e.store.InTenant(e.ctx, c, func(tx pgx.Tx) error { return tx.QueryRow(e.ctx, sql, args...).Scan(&n) }))
	return n
}

// rowsOf reads an org's rows as the superuser, as JSON objects.
func (e *attackEnv) rowsOf(t *testing.T, tt tenantTable, org uuid.UUID) []map[string]any {
	t.Helper()
	rows, err := e.admin.Query(e.ctx, fmt.Sprintf(`select to_jsonb(x) from app.%s x where %s = $1`, tt.name, tt.orgCol), org)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[map[string]any])
	require.NoError(t, err)
	return out
}

func (e *attackEnv) tableByName(t *testing.T, name string) tenantTable {
	for _, tt := range e.tables {
		if tt.name == name {
			return tt
		}
	}
	t.Fatalf("no table %s", name)
	return tenantTable{}
}

func pkWhere(tt tenantTable, row map[string]any) (string, []any) {
	var parts []string
	var args []any
	for i, col := range tt.pk {
		parts = append(parts, fmt.Sprintf("%s::text = $%d", col, i+1))
		args = append(args, fmt.Sprint(row[col]))
	}
	return strings.Join(parts, " and "), args
}

// freshCopy copies a row with new values for its keys and unique columns,
// and takes it out of any exclusion constraint, so that only the policy or
// foreign key under test can refuse it.
func freshCopy(tt tenantTable, row map[string]any) map[string]any {
	out := make(map[string]any, len(row))
	for k, v := range row {
		out[k] = v
	}
	if _, ok := out["id"]; ok && tt.name != "orgs" {
		out["id"] = uuid.NewString()
	}
	if tt.name == "orgs" {
		out["id"] = uuid.NewString()
	}
	if _, ok := out["call_sid"]; ok {
		out["call_sid"] = randomCallSID()
	}
	if _, ok := out["phone_number"]; ok {
		out["phone_number"] = "+4416329" + fmt.Sprint(10000+time.Now().Nanosecond()%89999)
	}
	if _, ok := out["code"]; ok {
		out["code"] = "code-" + uuid.NewString()[:8]
	}
	if _, ok := out["hold_id"]; ok {
		out["hold_id"] = nil
	}
	if _, ok := out["released_at"]; ok {
		out["released_at"] = time.Now().Format(time.RFC3339)
		out["release_reason"] = "released"
	}
	if _, ok := out["cancelled_at"]; ok {
		out["cancelled_at"] = time.Now().Format(time.RFC3339)
	}
	return out
}

func jsonOf(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

func requireSQLStateFor(t *testing.T, err error, code, what string) {
	t.Helper()
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "%s: want SQLSTATE %s, got %v", what, code, err)
	require.Equal(t, code, pgErr.Code, "%s: %s", what, pgErr.Message)
}

func randomCallSID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "CA" + hex.EncodeToString(b)
}

// TestAttackSuiteCatchesABrokenPolicy is the suite's own control: with one
// policy loosened, the same probes must see the leak.
func TestAttackSuiteCatchesABrokenPolicy(t *testing.T) {
	e := newAttackEnv(t)
	_, err := e.admin.Exec(e.ctx, `alter policy tenant_select on app.slots using (true)`)
	require.NoError(t, err)
	a := store.Claims{OrgID: orgA, Sub: "attacker", Role: "admin"}
	foreign := e.count(t, a, `select count(*) from app.slots where org_id <> $1`, orgA)
	require.Positive(t, foreign, "a loosened policy must show up as a leak")
}
