package gormstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// clock is a test clock that only moves when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func seeded(t *testing.T, db *gormstore.DB) *clock {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	if ok, err := db.SeedDemo(context.Background()); err != nil || !ok {
		t.Fatalf("seed: got %v, %v; want true, nil", ok, err)
	}
	return c
}

func signIn(t *testing.T, auth *gormstore.AuthService, email string) (*regent.LoginSession, string) {
	t.Helper()
	sess, token, err := auth.SignIn(context.Background(), regent.SignIn{
		Issuer: "https://idp.test", Subject: "sub-" + email, Email: email, EmailVerified: true, AuthTime: time.Now(),
	})
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return sess, token
}

func TestMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		ctx := context.Background()
		pending, err := db.Pending(ctx)
		if err != nil || pending {
			t.Fatalf("pending after migrate: got %v, %v; want false, nil", pending, err)
		}
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate: got %d, %v; want 0, nil", n, err)
		}
	})
}

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		ctx := context.Background()
		seeded(t, db)
		auth := gormstore.NewAuthService(db)

		t.Run("unknown identity is not provisioned and nothing is created", func(t *testing.T) {
			_, _, err := auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.test", Subject: "x", Email: "stranger@example.com", EmailVerified: true})
			if got := reason(err); got != "not_provisioned" {
				t.Fatalf("got reason %q (%v), want not_provisioned", got, err)
			}
			users, _ := db.DevUsers(ctx)
			for _, u := range users {
				if u.Email == "stranger@example.com" {
					t.Fatal("a user was created by signing in")
				}
			}
		})
		t.Run("unverified email does not bind", func(t *testing.T) {
			_, _, err := auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.test", Subject: "y", Email: "support@classics.example", EmailVerified: false})
			if got := reason(err); got != "not_provisioned" {
				t.Fatalf("got reason %q, want not_provisioned", got)
			}
		})
		t.Run("invited email binds on first sign-in, then the subject is what counts", func(t *testing.T) {
			sess, token := signIn(t, auth, "tm-admin@classics.example")
			if token == "" || sess.UserID == "" {
				t.Fatalf("got session %+v and token %q", sess, token)
			}
			// Same subject, different email claim: still the same user.
			again, _, err := auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.test", Subject: "sub-tm-admin@classics.example", Email: "renamed@example.com", EmailVerified: true})
			if err != nil || again.UserID != sess.UserID {
				t.Fatalf("by subject: got %v, %v; want user %s", again, err, sess.UserID)
			}
			// Same email from another subject: the account is bound already, so no.
			_, _, err = auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.test", Subject: "someone-else", Email: "tm-admin@classics.example", EmailVerified: true})
			if got := reason(err); got != "not_provisioned" {
				t.Fatalf("rebinding: got reason %q, want not_provisioned", got)
			}
		})
		t.Run("the hidden Impersonated Admin can never sign in", func(t *testing.T) {
			var emails []string
			db.Raw(t, &emails, "SELECT email FROM users WHERE hidden")
			if len(emails) != 5 {
				t.Fatalf("hidden accounts: got %d, want 5 (one per non-platform tenant)", len(emails))
			}
			_, _, err := auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.test", Subject: "h", Email: emails[0], EmailVerified: true})
			if got := reason(err); got != "not_provisioned" {
				t.Fatalf("got reason %q, want not_provisioned", got)
			}
		})
	})
}

func TestAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		ctx := context.Background()
		clk := seeded(t, db)
		auth := gormstore.NewAuthService(db)

		_, token := signIn(t, auth, "partner-admin@lsp.example")
		caller, err := auth.Authenticate(ctx, token)
		if err != nil {
			t.Fatalf("authenticate: %v", err)
		}
		if caller.User.Email != "partner-admin@lsp.example" || caller.Home.Name != "League of the Scarlet Pimpernel" {
			t.Errorf("got %s at %s", caller.User.Email, caller.Home.Name)
		}
		if !caller.Can(regent.PermTenantsCreate) || caller.Can(regent.PermImpersonationRevoke) {
			t.Errorf("partner admin permissions wrong: %v", caller.Permissions.Sorted())
		}
		for _, bad := range []string{"", "nope", token + "x", strings.ToUpper(token)} {
			if _, err := auth.Authenticate(ctx, bad); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Errorf("token %q: got %v, want unauthorized", bad, err)
			}
		}

		t.Run("idle timeout ends the session", func(t *testing.T) {
			_, tok := signIn(t, auth, "support@classics.example")
			clk.advance(db.Sessions.IdleTimeout - time.Minute)
			if _, err := auth.Authenticate(ctx, tok); err != nil {
				t.Fatalf("before idle: %v", err)
			}
			clk.advance(db.Sessions.IdleTimeout)
			if _, err := auth.Authenticate(ctx, tok); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("after idle: got %v, want unauthorized", err)
			}
			// And it stays dead even if activity resumes "in time" later.
			if _, err := auth.Authenticate(ctx, tok); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("replay after idle: got %v, want unauthorized", err)
			}
		})
		t.Run("absolute expiry ends an active session", func(t *testing.T) {
			_, tok := signIn(t, auth, "implementer@classics.example")
			for elapsed := time.Duration(0); elapsed < db.Sessions.MaxAge; elapsed += 30 * time.Minute {
				if _, err := auth.Authenticate(ctx, tok); err != nil {
					t.Fatalf("at %v: %v", elapsed, err)
				}
				clk.advance(30 * time.Minute)
			}
			if _, err := auth.Authenticate(ctx, tok); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("after max age: got %v, want unauthorized", err)
			}
		})
		t.Run("a deactivated user's session stops working", func(t *testing.T) {
			_, tok := signIn(t, auth, "agent@paris.lsp.example")
			db.Exec(t, "UPDATE users SET status = 'deactivated' WHERE email = 'agent@paris.lsp.example'")
			if _, err := auth.Authenticate(ctx, tok); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("got %v, want unauthorized", err)
			}
			_, _, err := auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.test", Subject: "sub-agent@paris.lsp.example", Email: "agent@paris.lsp.example", EmailVerified: true})
			if got := reason(err); got != "account_deactivated" {
				t.Fatalf("sign in: got reason %q, want account_deactivated", got)
			}
		})
		t.Run("sign-out kills the token", func(t *testing.T) {
			_, tok := signIn(t, auth, "partner-support@lsp.example")
			c, err := auth.Authenticate(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			if err := auth.SignOut(regent.NewContextWithCaller(ctx, c)); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.Authenticate(ctx, tok); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
				t.Fatalf("got %v, want unauthorized", err)
			}
		})
		t.Run("every sign-in and sign-out is on record", func(t *testing.T) {
			var n int64
			db.Raw(t, &n, "SELECT count(*) FROM audit_events WHERE action IN ('auth.login', 'auth.logout', 'auth.session_ended')")
			// 5 sign-ins and 1 refused one; 1 logout; idle, expiry and deactivation ends.
			if n != 10 {
				t.Errorf("auth events: got %d, want 10", n)
			}
		})
	})
}

func TestLoginStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
		db.Now = clk.now
		auth := gormstore.NewAuthService(db)
		st := &regent.LoginState{State: "s1", Nonce: "n", CodeVerifier: "v", ReturnTo: "/x", MaxAge: -1, CreatedAt: clk.t, ExpiresAt: clk.t.Add(time.Minute)}
		if err := auth.SaveLoginState(ctx, st); err != nil {
			t.Fatal(err)
		}
		got, err := auth.ConsumeLoginState(ctx, "s1")
		if err != nil || got.Nonce != "n" || got.CodeVerifier != "v" || got.ReturnTo != "/x" || got.MaxAge != -1 {
			t.Fatalf("consume: got %+v, %v", got, err)
		}
		if _, err := auth.ConsumeLoginState(ctx, "s1"); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Fatalf("replay: got %v, want not found", err)
		}
		st.State = "s2"
		if err := auth.SaveLoginState(ctx, st); err != nil {
			t.Fatal(err)
		}
		clk.advance(2 * time.Minute)
		if _, err := auth.ConsumeLoginState(ctx, "s2"); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Fatalf("expired: got %v, want not found", err)
		}
	})
}

func TestAuditIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		for _, stmt := range []string{
			"UPDATE audit_events SET action = 'forged'",
			"DELETE FROM audit_events",
		} {
			if err := db.ExecErr(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: got %v, want the database to refuse", stmt, err)
			}
		}
	})
}

func TestSeedDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		ctx := context.Background()
		seeded(t, db)
		if ok, err := db.SeedDemo(ctx); err != nil || ok {
			t.Fatalf("second seed: got %v, %v; want false, nil", ok, err)
		}
		var perTenant []int64
		db.Raw(t, &perTenant, `SELECT (SELECT count(*) FROM users u WHERE u.home_tenant_id = t.id AND u.hidden)
			FROM tenants t WHERE t.kind <> 'platform'`)
		if len(perTenant) != 5 {
			t.Fatalf("tenants: got %d, want 5", len(perTenant))
		}
		for _, n := range perTenant {
			if n != 1 {
				t.Errorf("hidden accounts per tenant: got %v, want exactly one each", perTenant)
				break
			}
		}
		users, err := db.DevUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 13 || users[0].Email != "implementer@classics.example" {
			t.Errorf("dev users: got %d starting with %v", len(users), users[0])
		}
		for _, u := range users {
			if u.Name == regent.ImpersonatedAdminName {
				t.Errorf("the hidden account is listed: %+v", u)
			}
		}
	})
}

func reason(err error) string {
	if e, ok := err.(*regent.Error); ok {
		return e.Reason
	}
	return ""
}

// TestSuspendedTenantShutsOutItsPeople suspends LSP Paris: its own people lose their open
// sessions at their next request and cannot sign in again, with the refusal on record, while
// the partner that suspended it keeps working; reactivating lets them back in.
func TestSuspendedTenantShutsOutItsPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		auth := gormstore.NewAuthService(db)
		tenants := gormstore.NewTenantService(db)
		lspCtx, lspAdmin := callerCtx(t, db, "partner-admin@lsp.example")
		_, lspToken := signIn(t, auth, "partner-admin@lsp.example")
		_, parisToken := signIn(t, auth, "tenant-admin@paris.lsp.example")
		parisCaller, err := auth.Authenticate(context.Background(), parisToken)
		if err != nil {
			t.Fatal(err)
		}
		paris := parisCaller.Home.ID
		setStatus := func(status string) {
			t.Helper()
			cur, err := tenants.TenantByID(lspCtx, paris)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tenants.UpdateTenant(lspCtx, paris, cur.Version, map[string]any{"status": status}); err != nil {
				t.Fatalf("%s: %v", status, err)
			}
		}

		setStatus(regent.TenantStatusSuspended)
		if _, err := auth.Authenticate(context.Background(), parisToken); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
			t.Errorf("an open session of the suspended tenant: %v, want unauthorized", err)
		}
		_, _, err = auth.SignIn(context.Background(), regent.SignIn{Issuer: "https://idp.test", Subject: "sub-tenant-admin@paris.lsp.example",
			Email: "tenant-admin@paris.lsp.example", EmailVerified: true, AuthTime: time.Now()})
		var re *regent.Error
		if !errors.As(err, &re) || re.Code != regent.EFORBIDDEN || re.Reason != "tenant_suspended" {
			t.Errorf("signing in to the suspended tenant: %v, want forbidden tenant_suspended", err)
		}
		var denied int64
		db.Raw(t, &denied, "SELECT count(*) FROM audit_events WHERE action = ? AND outcome = 'denied' AND detail = 'tenant_suspended' AND tenant_id = ?", regent.ActionLogin, paris)
		if denied != 1 {
			t.Errorf("refused sign-ins on record: %d, want 1", denied)
		}
		if c, err := auth.Authenticate(context.Background(), lspToken); err != nil || c.User.ID != lspAdmin.User.ID {
			t.Errorf("the partner's admin after suspending a customer: %v", err)
		}

		setStatus(regent.TenantStatusActive)
		signIn(t, auth, "tenant-admin@paris.lsp.example") // fails the test if refused
	})
}
