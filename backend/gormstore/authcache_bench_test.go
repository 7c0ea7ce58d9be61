package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// BenchmarkAuthenticate measures the per-request cost of resolving a session cookie into a
// caller, with and without a live impersonation, when nothing changed (served from the
// cache: no database round trip on PostgreSQL, one in-process PRAGMA on SQLite).
func BenchmarkAuthenticate(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		db := storetest.Open(b, dialect)
		if _, err := db.SeedDemo(context.Background()); err != nil {
			b.Fatal(err)
		}
		auth := gormstore.NewAuthService(db)
		ri := regent.RequestInfo{IP: "127.0.0.1", UserAgent: "bench"}
		ctx := regent.NewContextWithRequestInfo(context.Background(), ri)
		sign := func(email string) string {
			_, token, err := auth.SignIn(ctx, regent.SignIn{Issuer: "https://idp.bench", Subject: email, Email: email,
				EmailVerified: true, AuthTime: time.Now()})
			if err != nil {
				b.Fatal(err)
			}
			return token
		}
		plain := sign("tenant-admin@paris.lsp.example")
		imp := sign("support@classics.example")
		c, err := auth.Authenticate(ctx, imp)
		if err != nil {
			b.Fatal(err)
		}
		var paris string
		db.SQL().QueryRow("SELECT id FROM tenants WHERE name = 'LSP Paris'").Scan(&paris)
		_, imp, err = gormstore.NewImpersonationService(db).Start(regent.NewContextWithCaller(ctx, c),
			regent.StartImpersonation{TenantID: paris, Mode: regent.ModeSupport, Reason: "Benchmark of the request path"})
		if err != nil {
			b.Fatal(err)
		}
		for name, token := range map[string]string{"plain": plain, "impersonating": imp} {
			b.Run(dialect+"/"+name, func(b *testing.B) {
				// Let the cache come on (PostgreSQL: once the listener is connected).
				for i := 0; i < 200; i++ {
					auth.Authenticate(ctx, token)
					time.Sleep(time.Millisecond)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					caller, err := auth.Authenticate(ctx, token)
					if err != nil {
						b.Fatal(err)
					}
					if name == "impersonating" && !caller.Impersonating() {
						b.Fatal("not impersonating")
					}
				}
			})
		}
	}
}
