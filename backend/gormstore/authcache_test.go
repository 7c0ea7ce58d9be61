package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// waitCacheOn waits for the PostgreSQL listener to connect (the cache is off until then).
func waitCacheOn(t *testing.T, db *gormstore.DB, auth *gormstore.AuthService, token string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		auth.Authenticate(context.Background(), token)
		if db.CountQueries(func() { auth.Authenticate(context.Background(), token) }) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the authentication cache never came on")
}

func TestAuthCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		ctx := context.Background()
		auth := gormstore.NewAuthService(db)
		_, token := signIn(t, auth, "partner-support@lsp.example")
		waitCacheOn(t, db, auth, token)

		t.Run("nothing changed: no query", func(t *testing.T) {
			if n := db.CountQueries(func() {
				for i := 0; i < 10; i++ {
					if _, err := auth.Authenticate(ctx, token); err != nil {
						t.Fatal(err)
					}
				}
			}); n != 0 {
				t.Errorf("%d queries for 10 cached requests", n)
			}
		})
		t.Run("writes that authentication does not read leave the cache alone", func(t *testing.T) {
			pctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
			auth.Authenticate(ctx, token)
			if _, err := gormstore.NewContactService(db).Create(pctx, admin.Home.ID, &regent.Contact{Name: "Cache Neutral"}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(150 * time.Millisecond) // past SQLite's data_version look, which any commit moves
			auth.Authenticate(ctx, token)
			if n := db.CountQueries(func() { auth.Authenticate(ctx, token) }); n != 0 {
				t.Errorf("%d queries after an unrelated write", n)
			}
		})
		t.Run("a committed change to what it reads is seen by the next request", func(t *testing.T) {
			c, _ := auth.Authenticate(ctx, token)
			tm, u := takeRoles(t, db, c.User.ID)
			users := gormstore.NewUserService(db)
			// PostgreSQL delivers the invalidation to this process's listener asynchronously
			// (within milliseconds); this process also drops its cache right at commit.
			c, err := auth.Authenticate(ctx, token)
			if err != nil || c.Can(regent.PermImpersonateSupport) {
				t.Fatalf("after demotion: %v %v", c.Permissions.Sorted(), err)
			}
			if _, err := users.UpdateConsoleUser(tm, u.ID, u.Version+1, map[string]any{"status": "deactivated"}); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.Authenticate(ctx, token); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("after deactivation: %v", err)
			}
		})
	})
}

// TestAuthCacheKeepsTheDirectory: a write to the sessions tables alone (another login's
// sign-out, an impersonation's start or end) drops the cached snapshots but not the people,
// tenants, roles and policies read by id, so the next request of every other session reads
// its session rows again and nothing else; a write to a directory table drops everything.
// PostgreSQL only: SQLite's cache starts over whenever data_version moves, which any commit
// does, at most every 100 ms, so what it reads next depends on the clock.
func TestAuthCacheKeepsTheDirectory(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		if dialect != gormstore.DialectPostgres {
			continue
		}
		t.Run(dialect, func(t *testing.T) {
			db := storetest.Open(t, dialect)
			seeded(t, db)
			ctx := context.Background()
			auth := gormstore.NewAuthService(db)
			_, token := signIn(t, auth, "partner-support@lsp.example")
			waitCacheOn(t, db, auth, token)
			_, other := signIn(t, auth, "support@classics.example")
			waitCacheOn(t, db, auth, token)
			oc, err := auth.Authenticate(ctx, other)
			if err != nil {
				t.Fatal(err)
			}
			if err := auth.SignOut(regent.NewContextWithCaller(ctx, oc)); err != nil {
				t.Fatal(err)
			}
			if n := db.CountQueries(func() {
				if _, err := auth.Authenticate(ctx, token); err != nil {
					t.Fatal(err)
				}
			}); n != 1 {
				t.Errorf("after a sessions-only write: %d queries, want 1 (the login session with its impersonation)", n)
			}
			// A directory write (a role taken away) is read afresh, person and all.
			c, err := auth.Authenticate(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			takeRoles(t, db, c.User.ID)
			n := db.CountQueries(func() {
				if c, err = auth.Authenticate(ctx, token); err != nil {
					t.Fatal(err)
				}
			})
			if n <= 1 || c.Can(regent.PermImpersonateSupport) {
				t.Errorf("after a directory write: %d queries, permissions %v; want the person read again, without the role", n, c.Permissions.Sorted())
			}
		})
	}
}

// TestAuthCacheAcrossProcesses has two handles on one database, as two replicas would: a
// change committed through one is seen by the other within a second.
// replicas opens two handles on one fresh, seeded database of the dialect, as two processes
// would have; both read one clock, as two processes on synchronised hosts would.
func replicas(t *testing.T, dialect string) (a, b *gormstore.DB) {
	t.Helper()
	url := storetest.URL(t, dialect)
	a, err := gormstore.Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	a.Migrate(context.Background())
	b, err = gormstore.Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.Now = seeded(t, a).now
	return a, b
}

func TestAuthCacheAcrossProcesses(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			a, b := replicas(t, dialect)
			authA, authB := gormstore.NewAuthService(a), gormstore.NewAuthService(b)
			_, token := signIn(t, authA, "support@classics.example")
			waitCacheOn(t, b, authB, token)
			c, err := authB.Authenticate(context.Background(), token)
			if err != nil {
				t.Fatal(err)
			}
			if err := authA.SignOut(regent.NewContextWithCaller(context.Background(), c)); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			for {
				_, err := authB.Authenticate(context.Background(), token)
				if regent.ErrorCode(err) == regent.EUNAUTHORIZED {
					break
				}
				if time.Since(start) > time.Second {
					t.Fatal("replica B still accepts a session ended through A after 1 s")
				}
				time.Sleep(time.Millisecond)
			}
			t.Logf("replica B refused the ended session after %v", time.Since(start))

			// A directory write through A (the person loses their roles) reaches B too, while B
			// holds the person in its directory: the invalidation that drops it is not the
			// sessions-only one.
			_, other := signIn(t, authA, "support@classics.example")
			waitCacheOn(t, b, authB, other)
			oc, err := authB.Authenticate(context.Background(), other)
			if err != nil || !oc.Can(regent.PermImpersonateSupport) {
				t.Fatalf("before: %v %v", oc, err)
			}
			takeRoles(t, a, oc.User.ID)
			start = time.Now()
			for {
				oc, err := authB.Authenticate(context.Background(), other)
				if err != nil {
					t.Fatal(err)
				}
				if !oc.Can(regent.PermImpersonateSupport) {
					break
				}
				if time.Since(start) > time.Second {
					t.Fatal("replica B still grants a role taken away through A after 1 s")
				}
				time.Sleep(time.Millisecond)
			}
			t.Logf("replica B dropped the role taken away through A after %v", time.Since(start))
		})
	}
}

// takeRoles has the TM Admin take every role from console user id, and returns the TM
// Admin's context and the user as they were before.
func takeRoles(t *testing.T, db *gormstore.DB, id string) (context.Context, *regent.UserView) {
	t.Helper()
	tm, _ := callerCtx(t, db, "tm-admin@classics.example")
	users := gormstore.NewUserService(db)
	u, err := users.ConsoleUserByID(tm, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := users.UpdateConsoleUser(tm, u.ID, u.Version, map[string]any{"roles": []any{}}); err != nil {
		t.Fatal(err)
	}
	return tm, u
}

// A sessions write is told to the other processes just after it commits. Should that
// notification never come (its sender died in between), a session's rows are read again
// within a second: an ended session is refused then, here shown with a session ended
// behind the cache's back (PostgreSQL; SQLite sees every other connection's commit).
func TestAuthCacheTrustsASessionForASecond(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		if dialect != gormstore.DialectPostgres {
			continue
		}
		t.Run(dialect, func(t *testing.T) {
			db := storetest.Open(t, dialect)
			clk := seeded(t, db)
			ctx := context.Background()
			auth := gormstore.NewAuthService(db)
			sess, token := signIn(t, auth, "partner-support@lsp.example")
			waitCacheOn(t, db, auth, token)
			if err := db.ExecErr("UPDATE login_sessions SET ended_at = ?, end_reason = 'test' WHERE id = ?", clk.now(), sess.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.Authenticate(ctx, token); err != nil {
				t.Fatalf("within the second, from the cache: %v", err)
			}
			clk.advance(1100 * time.Millisecond)
			if _, err := auth.Authenticate(ctx, token); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("after a second: got %v, want the ended session refused", err)
			}
		})
	}
}
