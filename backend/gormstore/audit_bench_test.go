package gormstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// BenchmarkAuditWrite measures sustained audit writing: each event in its own transaction
// (as a change writes it), on one chain and spread over 16 tenants' chains by 16 writers.
// It reports events/s.
func BenchmarkAuditWrite(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		db := storetest.Open(b, dialect)
		ctx := context.Background()
		for _, chains := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/chains=%d", dialect, chains), func(b *testing.B) {
				var n atomic.Int64
				b.SetParallelism(8) // 16 writers on 2 cores
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := n.Add(1)
						ev := &regent.AuditEvent{ID: regent.NewID(), Time: time.Now().UTC(), Action: "bench.write", Outcome: regent.OutcomeSuccess,
							TenantID: fmt.Sprintf("00000000-0000-7000-8000-%012d", 1000+i%int64(chains)), ActorName: "bench",
							After: []byte(`{"name":"x","version":1}`)}
						if err := db.AppendAudit(ctx, ev); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "events/s")
			})
		}
		b.Run(dialect+"/verify", func(b *testing.B) {
			var events int64
			start := time.Now()
			for i := 0; i < b.N; i++ {
				rep, err := db.VerifyAudit(ctx, nil)
				if err != nil || len(rep.Breaks) > 0 {
					b.Fatalf("%+v %v", rep, err)
				}
				events += rep.Events
			}
			b.ReportMetric(float64(events)/time.Since(start).Seconds(), "events/s")
		})
		b.Run(dialect+"/export", func(b *testing.B) {
			tm := &regent.Caller{User: &regent.User{ID: regent.NewID(), Status: "active"}, Home: &regent.Tenant{Kind: regent.TenantKindPlatform},
				Permissions: regent.NewPermissionSet([]regent.Permission{regent.PermAuditExport})}
			c := regent.NewContextWithCaller(ctx, tm)
			svc := gormstore.NewAuditService(db)
			var rows int64
			start := time.Now()
			for i := 0; i < b.N; i++ {
				err := svc.ExportEvents(c, regent.AuditFilter{Action: "bench.write"}, "csv", func(*regent.AuditEvent) error { rows++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
