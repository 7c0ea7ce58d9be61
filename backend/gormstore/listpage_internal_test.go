package gormstore

import (
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"github.com/regent/regent"
)

func TestWindowReadsNoPageFromFurtherThanHalfway(t *testing.T) {
	tests := []struct {
		name              string
		page, size, total int
		offset, limit     int
		reversed, ok      bool
	}{
		{"first page", 1, 25, 103, 0, 25, false, true},
		{"a page in the first half", 2, 25, 103, 25, 25, false, true},
		{"the middle page, nearer the end", 3, 25, 103, 28, 25, true, true},
		{"a page in the second half", 4, 25, 103, 3, 25, true, true},
		{"the exact middle goes forwards", 2, 25, 75, 25, 25, false, true},
		{"the short last page", 5, 25, 103, 0, 3, true, true},
		{"past the end", 6, 25, 103, 0, 0, false, false},
		{"an empty list", 1, 25, 0, 0, 0, false, false},
		{"one row", 1, 25, 1, 0, 1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := regent.ListFilter{Page: tt.page, PageSize: tt.size}
			offset, limit, reversed, ok := window(f, tt.total)
			if offset != tt.offset || limit != tt.limit || reversed != tt.reversed || ok != tt.ok {
				t.Errorf("got offset %d limit %d reversed %v ok %v, want %d %d %v %v",
					offset, limit, reversed, ok, tt.offset, tt.limit, tt.reversed, tt.ok)
			}
		})
	}
}

func TestListOrderReversesEveryDirection(t *testing.T) {
	o := listOrder{key: "lower(t.name)", id: "t.id"}
	if got, want := o.sql(false), "lower(t.name), t.id"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := o.sql(true), "lower(t.name) DESC, t.id DESC"; got != want {
		t.Errorf("reversed: got %q, want %q", got, want)
	}
	o.desc = true
	if got, want := o.sql(false), "lower(t.name) DESC, t.id"; got != want {
		t.Errorf("desc: got %q, want %q", got, want)
	}
	if got, want := o.sql(true), "lower(t.name), t.id DESC"; got != want {
		t.Errorf("desc reversed: got %q, want %q", got, want)
	}
}

// A scope that names nobody must select nothing, never everything.
func TestAnEmptyScopeReachesNothing(t *testing.T) {
	db, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: ":memory:"}), &gorm.Config{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	for name, q := range map[string]*gorm.DB{
		"tenants, zero scope": scopeTenants(db.Table("tenants t"), regent.TenantScope{}),
		"tenants, none":       scopeTenants(db.Table("tenants t"), regent.TenantScope{None: true}),
		"users, zero scope":   scopeUsers(db.Table("users u"), regent.UserScope{}),
		"users, none":         scopeUsers(db.Table("users u"), regent.UserScope{None: true}),
	} {
		sql := q.Find(&rows).Statement.SQL.String()
		if !strings.Contains(sql, "1 = 0") {
			t.Errorf("%s: %s", name, sql)
		}
	}
}
