package gormstore_test

import (
	"slices"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// The people index answers only at the version of the tenant's people it was read at: a
// change made anywhere (through another handle on the database, as another replica would,
// or by a statement run outside Regent) is in the very next page, and a sign-in, which
// changes no one's place in the list, leaves the index in use.
func TestPeopleIndexNeverAnswersPastAChange(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			a, b := replicas(t, dialect)
			parisA, parisAdmin := callerCtx(t, a, "tenant-admin@paris.lsp.example")
			parisB, _ := callerCtx(t, b, "tenant-admin@paris.lsp.example")
			paris := parisAdmin.Home.ID
			usersA, usersB := gormstore.NewUserService(a), gormstore.NewUserService(b)
			names := func(q string) []string {
				t.Helper()
				items, total, err := usersB.ListEmployees(parisB, paris, regent.UserFilter{ListFilter: regent.ListFilter{Query: q, PageSize: 100}})
				if err != nil || total != len(items) {
					t.Fatalf("list %q: %d of %d, %v", q, len(items), total, err)
				}
				var out []string
				for _, v := range items {
					out = append(out, v.Name)
				}
				return out
			}
			b.WarmPeopleIndex(t, paris)
			before := names("")
			if len(before) == 0 || !b.PeopleIndexed(paris) {
				t.Fatalf("before: %v, indexed %v", before, b.PeopleIndexed(paris))
			}

			// A first sign-in (invited to active) changes the list; a later one does not.
			callerCtx(t, a, "agent@paris.lsp.example")
			names("")
			b.WarmPeopleIndex(t, paris)
			callerCtx(t, a, "agent@paris.lsp.example")
			if got := names(""); !slices.Equal(got, before) || !b.PeopleIndexed(paris) {
				t.Errorf("after a sign-in: %v, indexed %v; want %v from the index", got, b.PeopleIndexed(paris), before)
			}

			// An invitation through A is on B's next page.
			if _, err := usersA.InviteEmployee(parisA, paris, regent.UserInput{Email: "new.person@paris.lsp.example", Name: "Aaron New"}); err != nil {
				t.Fatal(err)
			}
			if got := names(""); len(got) != len(before)+1 || got[0] != "Aaron New" {
				t.Fatalf("after an invitation through A, B lists %v", got)
			}
			if b.PeopleIndexed(paris) && names("aaron")[0] != "Aaron New" {
				t.Fatal("B's rebuilt index does not find the new person")
			}

			// Behind Regent's back: a rename, then a deletion.
			b.WarmPeopleIndex(t, paris)
			if err := a.ExecErr("UPDATE users SET name = 'Zed Renamed' WHERE email = 'new.person@paris.lsp.example'"); err != nil {
				t.Fatal(err)
			}
			if got := names("aaron"); len(got) != 0 {
				t.Fatalf("after a rename behind Regent's back, a search for the old name finds %v", got)
			}
			if got := names("zed ren"); !slices.Equal(got, []string{"Zed Renamed"}) {
				t.Fatalf("after a rename behind Regent's back, a search for the new name finds %v", got)
			}
			b.WarmPeopleIndex(t, paris)
			if err := a.ExecErr("DELETE FROM users WHERE email = 'new.person@paris.lsp.example'"); err != nil {
				t.Fatal(err)
			}
			if got := names(""); !slices.Equal(got, before) {
				t.Fatalf("after a deletion behind Regent's back, B lists %v, want %v", got, before)
			}

			// A creation time changed behind Regent's back moves the person in that order.
			b.WarmPeopleIndex(t, paris)
			if err := a.ExecErr("UPDATE users SET created_at = '2000-01-01T00:00:00Z' WHERE email = 'agent@paris.lsp.example'"); err != nil {
				t.Fatal(err)
			}
			items, _, err := usersB.ListEmployees(parisB, paris, regent.UserFilter{ListFilter: regent.ListFilter{Sort: "createdAt", PageSize: 1}})
			if err != nil || len(items) != 1 || items[0].Email != "agent@paris.lsp.example" {
				t.Fatalf("after a creation time changed behind Regent's back, the oldest is %v (%v)", items, err)
			}

			// The hidden Impersonated Admin is never indexed, even when found by its address.
			b.WarmPeopleIndex(t, paris)
			for _, q := range []string{"impersonated", "regent.invalid"} {
				if got := names(q); len(got) != 0 {
					t.Fatalf("a search for %q lists %v", q, got)
				}
			}
		})
	}
}
