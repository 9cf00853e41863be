package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Demo tenants loaded by `frontdesk seed demo`. The numbers are from Ofcom's
// range reserved for drama (+44 1632 960xxx), so they can never ring anyone.
var (
	DemoOrgA    = uuid.MustParse("0a000000-0000-4000-8000-00000000000a")
	DemoOrgB    = uuid.MustParse("0b000000-0000-4000-8000-00000000000b")
	DemoClinicA = uuid.MustParse("c1000000-0000-4000-8000-00000000000a")
	DemoClinicB = uuid.MustParse("c2000000-0000-4000-8000-00000000000b")
)

const (
	DemoNumberA = "+441632960001"
	DemoNumberB = "+441632960002"
	// The clinics' staff lines, where transfer_to_staff hands a call
	// (Ofcom's drama range, like the clinics' own numbers).
	DemoStaffNumberA = "+441632960101"
	DemoStaffNumberB = "+441632960102"
)

type demoProcedure struct {
	code, name  string
	minutes     int
	preparation []string
}

type demoClinic struct {
	org, clinic   uuid.UUID
	orgName, name string
	number        string
	staffNumber   string
	hours         string
	address       string
	practitioners []string
	procedures    []demoProcedure
}

var demoClinics = []demoClinic{
	{
		org: DemoOrgA, clinic: DemoClinicA, orgName: "Northgate Health", name: "Northgate Clinic",
		number: DemoNumberA, staffNumber: DemoStaffNumberA, hours: "Monday to Friday, 9am to 5pm",
		address:       "12 Northgate Street, Leeds LS1 4AB",
		practitioners: []string{"Dr Amara Okafor", "Dr Ben Hughes"},
		procedures: []demoProcedure{
			{"colonoscopy", "Colonoscopy", 45, []string{"Eat a low-fibre diet for two days before.", "Take the bowel preparation as instructed the day before.", "Drink only clear fluids from the morning before.", "Arrange for someone to take you home."}},
			{"mri-knee", "MRI scan of the knee", 30, []string{"Remove all metal objects and jewellery.", "Tell us about any implants or pacemaker.", "Wear comfortable clothes without metal fastenings."}},
			{"blood-test", "Blood test", 15, []string{"Drink water as usual.", "Fast for 10 hours before if your doctor asked for a fasting test."}},
		},
	},
	{
		org: DemoOrgB, clinic: DemoClinicB, orgName: "Riverside Dental Group", name: "Riverside Dental",
		number: DemoNumberB, staffNumber: DemoStaffNumberB, hours: "Monday to Friday, 9am to 5pm",
		address:       "3 Riverside Walk, Bristol BS1 5TR",
		practitioners: []string{"Dr Chloe Martin", "Dr Dev Patel"},
		procedures: []demoProcedure{
			{"hygiene", "Dental hygiene appointment", 30, []string{"Brush and floss as usual before you come.", "Bring a list of any medicines you take."}},
			{"root-canal", "Root canal treatment", 60, []string{"Eat a normal meal beforehand.", "Take any usual medicines unless told otherwise."}},
		},
	},
}

// SeedDemo loads the two demo clinics with practitioners, procedures and a
// week of 30-minute slots (five working days from the next working day,
// 09:00 to 17:00 clinic time). It is idempotent: ids are derived, not random.
// It writes through the tenant path, so row-level security checks it too.
func (s *Store) SeedDemo(ctx context.Context, now time.Time) (slots int, err error) {
	for _, c := range demoClinics {
		err := s.InTenant(ctx, Claims{OrgID: c.org, Sub: "seed", Role: "admin"}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `insert into app.orgs (id, name) values ($1, $2) on conflict do nothing`, c.org, c.orgName); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `insert into app.clinics (id, org_id, name, phone_number, timezone, address, hours, staff_number)
				values ($1, $2, $3, $4, 'Europe/London', $5, $6, $7)
				on conflict (id) do update set hours = excluded.hours, staff_number = excluded.staff_number`,
				c.clinic, c.org, c.name, c.number, c.address, c.hours, c.staffNumber); err != nil {
				return err
			}
			for _, p := range c.procedures {
				if _, err := tx.Exec(ctx, `insert into app.procedures (id, org_id, clinic_id, code, name, duration_minutes, preparation)
					values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
					derive(c.clinic, "procedure", p.code), c.org, c.clinic, p.code, p.name, p.minutes, p.preparation); err != nil {
					return err
				}
			}
			loc, err := time.LoadLocation("Europe/London")
			if err != nil {
				return err
			}
			days := workingDays(now.In(loc), 5)
			for _, name := range c.practitioners {
				pid := derive(c.clinic, "practitioner", name)
				if _, err := tx.Exec(ctx, `insert into app.practitioners (id, org_id, clinic_id, name) values ($1, $2, $3, $4) on conflict do nothing`,
					pid, c.org, c.clinic, name); err != nil {
					return err
				}
				var batch pgx.Batch
				for _, day := range days {
					for start := day.Add(9 * time.Hour); start.Before(day.Add(17 * time.Hour)); start = start.Add(30 * time.Minute) {
						batch.Queue(`insert into app.slots (id, org_id, clinic_id, practitioner_id, during)
							values ($1, $2, $3, $4, tstzrange($5, $6, '[)')) on conflict do nothing`,
							derive(pid, "slot", start.UTC().Format(time.RFC3339)), c.org, c.clinic, pid, start, start.Add(30*time.Minute))
						slots++
					}
				}
				if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("seed %s: %w", c.name, err)
		}
	}
	return slots, nil
}

// workingDays returns midnight of the next n weekdays after now's day.
func workingDays(now time.Time, n int) []time.Time {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var out []time.Time
	for len(out) < n {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, day)
		}
	}
	return out
}

func derive(parent uuid.UUID, kind, key string) uuid.UUID {
	return uuid.NewSHA1(parent, []byte(kind+"/"+key))
}
