package gormstore_test

import (
	"context"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestPartnerAdminSeesSessionsOnThePartner: a TM Admin impersonating a partner tenant is
// outside access to that partner, whose admins are its Partner Admins. They see it in their
// session list and its timeline, as their audit trail shows it; another partner's admin and
// the partner's Support (without impersonation:sessions) do not.
func TestPartnerAdminSeesSessionsOnThePartner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		imps, audit := gormstore.NewImpersonationService(db), gormstore.NewAuditService(db)
		lspAdmin, pa := callerCtx(t, db, "partner-admin@lsp.example")
		acmeAdmin, _ := callerCtx(t, db, "partner-admin@acme.example")
		lspSupport, _ := callerCtx(t, db, "partner-support@lsp.example")
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		sess, _, err := imps.Start(tm, regent.StartImpersonation{TenantID: pa.Home.ID, Mode: regent.ModeConfigure, Reason: "Ticket 4711: partner branding"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want bool
		}{
			{"the partner's admin", lspAdmin, true},
			{"another partner's admin", acmeAdmin, false},
			{"the partner's support", lspSupport, false},
		} {
			items, total, err := imps.List(tc.ctx, regent.ImpersonationFilter{ListFilter: regent.ListFilter{PageSize: 100}, TenantID: pa.Home.ID})
			if err != nil {
				t.Fatalf("%s: list: %v", tc.name, err)
			}
			listed := total == 1 && len(items) == 1 && items[0].ID == sess.ID
			if listed != tc.want || (!tc.want && total != 0) {
				t.Errorf("%s: listed %d sessions on the partner (%v); want it listed: %v", tc.name, total, listed, tc.want)
			}
			_, err = audit.SessionTimeline(tc.ctx, sess.ID)
			if got := err == nil; got != tc.want {
				t.Errorf("%s: timeline: %v; want it shown: %v", tc.name, err, tc.want)
			}
		}
	})
}
