package gormstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

var _ regent.UserService = (*UserService)(nil)

// UserService implements regent.UserService.
type UserService struct{ db *DB }

// NewUserService returns the user service over db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

// userHomeRow is a user with their home, read in one query.
type userHomeRow struct {
	ID            string
	HomeTenantID  string
	Email         string
	Name          string
	Status        string
	OIDCSubject   *string `gorm:"column:oidc_subject"`
	LastLoginAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
	HomeName      string
	HomeKind      string
	CreatedByName string
	UpdatedByName string
	// Total is the number of all matches, on the rows of a search.
	Total int64
	// RoleIDs are the user's role ids, comma-separated, on the rows of a list.
	RoleIDs *string
	// ListVersion is the home tenant's version of its people, on a page read for the
	// people index.
	ListVersion int64
}

// userHomeRows reads a list's rows itself (rowsReader): the columns are userColumns' with
// role_ids and, on a search, total, in whatever order the statement gives them.
type userHomeRows []userHomeRow

func (rs *userHomeRows) readRows(rows *sql.Rows) error {
	return readInto(rows, (*[]userHomeRow)(rs), func(column string) func(*userHomeRow) any {
		switch column {
		case "id":
			return func(r *userHomeRow) any { return &r.ID }
		case "home_tenant_id":
			return func(r *userHomeRow) any { return &r.HomeTenantID }
		case "email":
			return func(r *userHomeRow) any { return &r.Email }
		case "name":
			return func(r *userHomeRow) any { return &r.Name }
		case "status":
			return func(r *userHomeRow) any { return &r.Status }
		case "oidc_subject":
			return func(r *userHomeRow) any { return &r.OIDCSubject }
		case "last_login_at":
			return func(r *userHomeRow) any { return &r.LastLoginAt }
		case "created_at":
			return func(r *userHomeRow) any { return &r.CreatedAt }
		case "updated_at":
			return func(r *userHomeRow) any { return &r.UpdatedAt }
		case "version":
			return func(r *userHomeRow) any { return &r.Version }
		case "home_name":
			return func(r *userHomeRow) any { return &r.HomeName }
		case "home_kind":
			return func(r *userHomeRow) any { return &r.HomeKind }
		case "created_by_name":
			return func(r *userHomeRow) any { return &r.CreatedByName }
		case "updated_by_name":
			return func(r *userHomeRow) any { return &r.UpdatedByName }
		case "total":
			return func(r *userHomeRow) any { return &r.Total }
		case "role_ids":
			return func(r *userHomeRow) any { return &r.RoleIDs }
		case "list_version":
			return func(r *userHomeRow) any { return &r.ListVersion }
		}
		return nil
	})
}

func (rs *userHomeRows) total() int {
	if len(*rs) == 0 {
		return 0
	}
	return int((*rs)[0].Total)
}

func (r *userHomeRow) view() *regent.UserView {
	v := &regent.UserView{
		User: regent.User{ID: r.ID, HomeTenantID: r.HomeTenantID, Email: r.Email, Name: r.Name, Status: r.Status,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version},
		Home:      &regent.Tenant{ID: r.HomeTenantID, Name: r.HomeName, Kind: r.HomeKind},
		CreatedBy: regent.Author{Name: r.CreatedByName}, UpdatedBy: regent.Author{Name: r.UpdatedByName},
	}
	if r.OIDCSubject != nil {
		v.OIDCSubject = *r.OIDCSubject
	}
	if r.LastLoginAt != nil {
		t := r.LastLoginAt.UTC()
		v.LastLoginAt = &t
	}
	return v
}

// users starts a query over visible users, aliased u. The hidden Impersonated Admin is
// filtered out here, once, for every read of this service. The home tenant is joined only
// where rows are read (withHome), never where they are only found, sorted or counted.
func users(db *gorm.DB) *gorm.DB {
	return db.Table("users u").Where("NOT u.hidden")
}

const userColumns = userOwnColumns + ", h.name AS home_name, h.kind AS home_kind"

// userOwnColumns are userColumns without the home's, for a page whose home is known.
const userOwnColumns = "u.id, u.home_tenant_id, u.email, u.name, u.status, u.oidc_subject, u.last_login_at, u.created_at, u.updated_at, u.version, u.created_by_name, u.updated_by_name"

const withHome = "JOIN tenants h ON h.id = u.home_tenant_id"

var userSorts = map[string]string{"name": "lower(u.name)", "email": "lower(u.email)", "status": "u.status", "lastLoginAt": "u.last_login_at", "createdAt": "u.created_at"}

// list reads a page of users. scope restricts a query aliased u by home_tenant_id alone,
// so that it holds for users and for user_counts alike.
func (s *UserService) list(db *gorm.DB, scope func(*gorm.DB) *gorm.DB, f regent.UserFilter) ([]*regent.UserView, int, error) {
	f.Normalize()
	filter := func(q *gorm.DB) *gorm.DB {
		q = scope(q)
		if f.Status != "" {
			q = q.Where("u.status = ?", f.Status)
		}
		return q
	}
	list := listPage{
		rows: func() *gorm.DB {
			return applySearch(filter(users(db)), f.Query, []string{"u.name", "u.email"})
		},
		order:   sortBy(userSorts, f.Sort, "lower(u.name)", "u.id", f.Desc),
		columns: userColumns + ", " + s.db.roleIDsColumn(),
		joins:   "JOIN users u ON u.id = pg.id " + withHome,
	}
	var rows userHomeRows
	var total int
	if strings.TrimSpace(f.Query) != "" {
		err := s.db.scanPlanned(list.search(db, f.ListFilter), &rows)
		if err != nil {
			return nil, 0, err
		}
		if total = rows.total(); len(rows) == 0 && f.Offset() > 0 {
			var err error
			if total, err = list.count(db); err != nil {
				return nil, 0, err
			}
		}
	} else {
		var err error
		total, err = list.unsearched(db, f.ListFilter, filter(db.Table("user_counts u")).Select("COALESCE(sum(u.n), 0)"), &rows)
		if err != nil {
			return nil, 0, err
		}
	}
	out, err := s.views(db, rows)
	return out, total, err
}

// views makes the rows of a page of people into views, each with its roles.
func (s *UserService) views(db *gorm.DB, rows userHomeRows) ([]*regent.UserView, error) {
	out := make([]*regent.UserView, len(rows))
	held := make([][]string, len(rows)) // each row's role ids
	var roleIDs []string
	for i := range rows {
		out[i] = rows[i].view()
		if rows[i].RoleIDs != nil {
			held[i] = strings.Split(*rows[i].RoleIDs, ",")
			roleIDs = append(roleIDs, held[i]...)
		}
	}
	roles, err := s.db.rolesByID(db, roleIDs)
	if err != nil {
		return nil, err
	}
	for i, v := range out {
		for _, id := range held[i] {
			if r, ok := roles[id]; ok && !r.hidden {
				v.Roles = append(v.Roles, r.role)
			}
		}
		sortRoles(v.Roles)
	}
	return out, nil
}

// sortRoles puts roles in name order, the same in every list and on every page whatever the
// database's collation.
func sortRoles(roles []regent.Role) {
	slices.SortFunc(roles, func(a, b regent.Role) int { return strings.Compare(a.Name, b.Name) })
}

// roleIDsColumn is a column of a user's role ids, comma-separated, over users aliased u: a
// page of people and their roles in one statement.
func (db *DB) roleIDsColumn() string {
	if db.dialect == DialectPostgres {
		return "(SELECT string_agg(ur.role_id::text, ',') FROM user_roles ur WHERE ur.user_id = u.id) AS role_ids"
	}
	return "(SELECT group_concat(ur.role_id, ',') FROM user_roles ur WHERE ur.user_id = u.id) AS role_ids"
}

// rolesByID returns the roles of ids, hidden ones marked, through the authentication cache
// (a write to roles drops it): a list's people name a handful of roles between them.
func (db *DB) rolesByID(q *gorm.DB, ids []string) (map[string]cachedRole, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	gen := db.auth.dirGen.Load()
	out, missing := db.auth.roles.get(ids)
	if len(missing) == 0 {
		return out, nil
	}
	var rows []roleRow
	if err := q.Session(&gorm.Session{NewDB: true}).Where("id IN ?", missing).Find(&rows).Error; err != nil {
		return nil, err
	}
	read := make(map[string]cachedRole, len(rows))
	for _, r := range rows {
		role := regent.Role{ID: r.ID, Key: r.Key, Name: r.Name, HomeKind: r.HomeKind}
		if r.TenantID != nil {
			role.TenantID = *r.TenantID
		}
		read[r.ID] = cachedRole{role: role, hidden: r.Hidden}
	}
	db.auth.roles.put(gen, read)
	for id, r := range read {
		out[id] = r
	}
	return out, nil
}

func (s *UserService) one(q *gorm.DB, id string) (*regent.UserView, error) {
	notFound := regent.Errorf(regent.ENOTFOUND, "User not found.")
	if !regent.ValidID(id) {
		return nil, notFound
	}
	var row userHomeRow
	if err := q.Select(userColumns).Joins(withHome).Where("u.id = ?", id).Take(&row).Error; err != nil {
		if regent.ErrorCode(translate(err)) == regent.ENOTFOUND {
			return nil, notFound
		}
		return nil, err
	}
	v := row.view()
	roles, err := visibleRolesOf(q.Session(&gorm.Session{NewDB: true}), []string{id})
	if err != nil {
		return nil, err
	}
	v.Roles = roles[id]
	return v, nil
}

// visibleRolesOf loads the roles of many users in one query, leaving hidden roles out.
func visibleRolesOf(db *gorm.DB, userIDs []string) (map[string][]regent.Role, error) {
	out := map[string][]regent.Role{}
	if len(userIDs) == 0 {
		return out, nil
	}
	type pair struct {
		UserID   string
		ID       string
		TenantID *string
		Key      string
		Name     string
		HomeKind string
	}
	var pairs []pair
	if err := scan(db.Table("user_roles ur").Select("ur.user_id, r.id, r.tenant_id, r.key, r.name, r.home_kind").
		Joins("JOIN roles r ON r.id = ur.role_id").Where("ur.user_id IN ? AND NOT r.hidden", userIDs).
		Order("r.name"), &pairs); err != nil {
		return nil, err
	}
	for _, p := range pairs {
		role := regent.Role{ID: p.ID, Key: p.Key, Name: p.Name, HomeKind: p.HomeKind}
		if p.TenantID != nil {
			role.TenantID = *p.TenantID
		}
		out[p.UserID] = append(out[p.UserID], role)
	}
	for _, rs := range out {
		sortRoles(rs)
	}
	return out, nil
}

// scopeUsers applies the caller's reach to a query over users (or user_counts) aliased u,
// through the home tenant's id alone. A scope that names no home reaches nothing.
func scopeUsers(q *gorm.DB, s regent.UserScope) *gorm.DB {
	switch {
	case s.None:
		return q.Where("1 = 0")
	case s.All:
		return q.Where("u.home_tenant_id IN (SELECT id FROM tenants WHERE kind IN ?)",
			[]string{regent.TenantKindPlatform, regent.TenantKindPartner})
	case s.HomeID == "":
		return q.Where("1 = 0")
	default:
		return q.Where("u.home_tenant_id = ?", s.HomeID)
	}
}

// ListConsoleUsers implements regent.UserService.
func (s *UserService) ListConsoleUsers(ctx context.Context, f regent.UserFilter) ([]*regent.UserView, int, error) {
	scope := regent.ConsoleUserScope(regent.CallerFromContext(ctx), regent.PermUsersRead)
	if scope.None {
		return nil, 0, regent.Errorf(regent.EFORBIDDEN, "Your role does not include the user list.")
	}
	return s.list(s.db.gdb.WithContext(ctx), func(q *gorm.DB) *gorm.DB {
		q = scopeUsers(q, scope)
		if f.HomeID != "" {
			q = q.Where("u.home_tenant_id = ?", f.HomeID)
		}
		return q
	}, f)
}

// ConsoleUserByID implements regent.UserService.
func (s *UserService) ConsoleUserByID(ctx context.Context, id string) (*regent.UserView, error) {
	scope := regent.ConsoleUserScope(regent.CallerFromContext(ctx), regent.PermUsersRead)
	return s.one(scopeUsers(users(s.db.gdb.WithContext(ctx)), scope), id)
}

// InviteConsoleUser implements regent.UserService.
func (s *UserService) InviteConsoleUser(ctx context.Context, in regent.UserInput) (*regent.UserView, error) {
	c := regent.CallerFromContext(ctx)
	if !c.Can(regent.PermUsersManage) {
		return nil, regent.Errorf(regent.EFORBIDDEN, "Your role does not allow inviting users.")
	}
	var out *regent.UserView
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var home tenantRow
		if !regent.ValidID(in.HomeID) || tx.Where("id = ?", in.HomeID).Take(&home).Error != nil || !regent.MayManageUsersOf(c, home.domain()) {
			return regent.Invalid(map[string]string{"homeId": "must be the platform or a partner you manage"})
		}
		assignable := func(tx *gorm.DB) *gorm.DB {
			return tx.Where("tenant_id IS NULL AND home_kind = ?", home.Kind)
		}
		var err error
		out, err = s.invite(ctx, tx, home.domain(), in, assignable, "user.invite")
		return err
	})
	return out, emailConflict(translate(err))
}

// UpdateConsoleUser implements regent.UserService.
func (s *UserService) UpdateConsoleUser(ctx context.Context, id string, version int, patch map[string]any) (*regent.UserView, error) {
	c := regent.CallerFromContext(ctx)
	var out *regent.UserView
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := s.one(scopeUsers(users(tx), regent.ConsoleUserScope(c, regent.PermUsersRead)), id)
		if err != nil {
			return err
		}
		if !regent.MayManageUsersOf(c, cur.Home) {
			return regent.Errorf(regent.EFORBIDDEN, "Your role does not allow changing this user.")
		}
		assignable := func(tx *gorm.DB) *gorm.DB {
			return tx.Where("tenant_id IS NULL AND home_kind = ?", cur.Home.Kind)
		}
		out, err = s.update(ctx, tx, cur, version, patch, assignable, "user")
		return err
	})
	return out, emailConflict(translate(err))
}

// personName checks a person's name. The hidden account's name is reserved: in the tenant
// app "Impersonated Admin" as a record's author means a change made while impersonating, and a
// real person of that name would blur it either way.
func personName(v regent.Validator, name string) {
	v.Text("name", name, 1, 200)
	if strings.EqualFold(strings.Join(strings.Fields(name), " "), regent.ImpersonatedAdminName) {
		v["name"] = "is reserved for the account that impersonations act as"
	}
}

// invite creates an invited user at home with the roles picked from assignable.
func (s *UserService) invite(ctx context.Context, tx *gorm.DB, home *regent.Tenant, in regent.UserInput, assignable func(*gorm.DB) *gorm.DB, action string) (*regent.UserView, error) {
	in.Email, in.Name = strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.Name)
	v := regent.Validator{}
	realEmail(v, in.Email)
	personName(v, in.Name)
	roles, err := pickRoles(tx, regent.CallerFromContext(ctx), assignable, in.RoleIDs, nil, v)
	if err != nil {
		return nil, err
	}
	if fields := v.Result(); fields != nil {
		return nil, regent.Invalid(fields)
	}
	now := s.db.now()
	c := regent.CallerFromContext(ctx)
	row := userRow{ID: regent.NewID(), HomeTenantID: home.ID, Email: in.Email, Name: in.Name,
		Status: regent.UserStatusInvited, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := tx.Create(&row).Error; err != nil {
		return nil, err
	}
	if err := tx.Model(&userRow{}).Where("id = ?", row.ID).Updates(map[string]any{
		"created_by_id": c.Author().ID, "created_by_name": c.Author().Name, "updated_by_id": c.Author().ID, "updated_by_name": c.Author().Name,
	}).Error; err != nil {
		return nil, err
	}
	for _, r := range roles {
		if err := tx.Create(&userRoleRow{UserID: row.ID, RoleID: r.ID}).Error; err != nil {
			return nil, err
		}
	}
	view := &regent.UserView{User: *row.domain(), Home: home, Roles: roles, CreatedBy: c.Author(), UpdatedBy: c.Author()}
	ev := s.db.newEvent(ctx, action, regent.OutcomeSuccess)
	ev.TenantID, ev.TargetType, ev.TargetID = home.ID, "user", row.ID
	ev.After = mustJSON(userAudit(view))
	return view, appendAudit(tx, ev)
}

// realEmail requires an address a person can receive mail at. The reserved .invalid domain
// is the hidden Impersonated Admin's: refused as not real, it can neither be taken nor
// collide with the hidden account's address (a conflict would tell that the account exists).
func realEmail(v regent.Validator, email string) {
	v.Email("email", email, true)
	if strings.HasSuffix(email, ".invalid") {
		v["email"] = "must be a real address"
	}
}

// pickRoles resolves role ids among the assignable roles; unknown (or hidden) ids are a
// field error, worded as if they did not exist.
//
// While impersonating, a role may be given only if the session holds every permission it
// carries: the session may not leave behind an account that outlives it with more than it
// could do itself (a tenant admin with the actor's own address, reading the Access Log).
func pickRoles(tx *gorm.DB, c *regent.Caller, assignable func(*gorm.DB) *gorm.DB, ids []string, kept []regent.Role, v regent.Validator) ([]regent.Role, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, nil
	}
	for _, id := range ids {
		if !regent.ValidID(id) {
			v["roles"] = "contains a role that does not exist"
			return nil, nil
		}
	}
	var rows []roleRow
	if err := assignable(tx.Model(&roleRow{})).Where("id IN ? AND NOT hidden", ids).Order("name").Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) != len(ids) {
		v["roles"] = "contains a role that does not exist or cannot be given here"
		return nil, nil
	}
	out := make([]regent.Role, len(rows))
	for i, r := range rows {
		out[i] = regent.Role{ID: r.ID, Key: r.Key, Name: r.Name, HomeKind: r.HomeKind}
		if r.TenantID != nil {
			out[i].TenantID = *r.TenantID
		}
	}
	given := slices.DeleteFunc(slices.Clone(out), func(r regent.Role) bool {
		return slices.ContainsFunc(kept, func(k regent.Role) bool { return k.ID == r.ID }) // keeping a role gives nothing
	})
	p, err := notHeld(tx, c, given)
	if err != nil {
		return nil, err
	} else if p != "" {
		v["roles"] = "contains a role with a permission you do not hold (" + p + "); ask a Tenant Admin to give it"
		if c.Impersonating() {
			v["roles"] = "contains a role with a permission beyond this impersonation's (" + p + "); only the tenant's own admins can give it"
		}
		return nil, nil
	}
	return out, nil
}

// notHeld returns a permission of roles that c does not hold, or "" when c may give them all.
// In the tenant app, whoever gives roles (an impersonation, or the tenant's own people with
// employees:manage) may give only what they hold: otherwise a custom role with
// employees:manage could make its holder Tenant Admin. Console admins give the roles of
// the homes they manage (assignable), which are not their own permissions: for them it is "".
func notHeld(tx *gorm.DB, c *regent.Caller, roles []regent.Role) (string, error) {
	if !c.Impersonating() && (c.Home == nil || c.Home.Kind != regent.TenantKindCustomer) {
		return "", nil
	}
	// Built-in roles carry their permissions in code, custom ones in role_permissions.
	var perms []string
	var custom []string
	for _, r := range roles {
		if b, ok := regent.BuiltinRoleByKey(r.Key); ok && r.TenantID == "" {
			for _, p := range b.Permissions {
				perms = append(perms, string(p))
			}
		} else {
			custom = append(custom, r.ID)
		}
	}
	if len(custom) > 0 {
		var more []string
		if err := tx.Session(&gorm.Session{NewDB: true}).Table("role_permissions").Where("role_id IN ?", custom).
			Pluck("permission", &more).Error; err != nil {
			return "", err
		}
		perms = append(perms, more...)
	}
	for _, p := range perms {
		if !c.Can(regent.Permission(p)) {
			return p, nil
		}
	}
	return "", nil
}

// update applies a patch of name, email (until the first sign-in), status and roles.
func (s *UserService) update(ctx context.Context, tx *gorm.DB, cur *regent.UserView, version int, patch map[string]any, assignable func(*gorm.DB) *gorm.DB, kind string) (*regent.UserView, error) {
	c := regent.CallerFromContext(ctx)
	if cur.Version != version {
		return nil, versionConflict()
	}
	before := userAudit(cur)
	next := *cur
	v := regent.Validator{}
	var roleIDs []string
	rolesChanged := false
	for k, val := range patch {
		switch k {
		case "name", "email", "status":
			str, ok := val.(string)
			if !ok {
				v[k] = "must be a string"
				continue
			}
			switch k {
			case "name":
				next.Name = strings.TrimSpace(str)
				personName(v, next.Name)
			case "email":
				next.Email = strings.ToLower(strings.TrimSpace(str))
				realEmail(v, next.Email)
				if next.Email != cur.Email && cur.OIDCSubject != "" {
					v["email"] = "cannot change after the first sign-in"
				}
			case "status":
				v.OneOf("status", str, regent.UserStatusActive, regent.UserStatusDeactivated)
				next.Status = str
				if str == regent.UserStatusActive && cur.OIDCSubject == "" {
					next.Status = regent.UserStatusInvited
				}
			}
		case "roles":
			list, ok := val.([]any)
			if !ok {
				v["roles"] = "must be a list of role ids"
				continue
			}
			rolesChanged = true
			for _, x := range list {
				id, _ := x.(string)
				roleIDs = append(roleIDs, id)
			}
		default:
			v[k] = "is not a field you can change"
		}
	}
	if rolesChanged {
		roles, err := pickRoles(tx, c, assignable, roleIDs, cur.Roles, v)
		if err != nil {
			return nil, err
		}
		next.Roles = roles
	}
	if next.Email != cur.Email && v["email"] == "" && v["roles"] == "" {
		// Until the first sign-in the address says who the account is: a new one hands it,
		// with every role it holds, to whoever reads that mailbox. That is giving those roles,
		// so it takes holding them, as pickRoles does for a role added.
		p, err := notHeld(tx, c, next.Roles)
		if err != nil {
			return nil, err
		} else if p != "" {
			v["email"] = "cannot change: the account holds a permission you do not hold (" + p + "); ask a Tenant Admin to change it"
			if c.Impersonating() {
				v["email"] = "cannot change: the account holds a permission beyond this impersonation's (" + p + "); only the tenant's own admins can change it"
			}
		}
	}
	if fields := v.Result(); fields != nil {
		return nil, regent.Invalid(fields)
	}
	if cur.ID == c.User.ID && (next.Status == regent.UserStatusDeactivated || rolesChanged) {
		return nil, &regent.Error{Code: regent.EFORBIDDEN, Reason: "self_lockout",
			Message: "You cannot deactivate yourself or change your own roles. Ask another administrator."}
	}
	now := s.db.now()
	res := tx.Model(&userRow{}).Where("id = ? AND version = ?", cur.ID, version).Updates(map[string]any{
		"name": next.Name, "email": next.Email, "status": next.Status, "updated_at": now, "version": version + 1,
		"updated_by_id": c.Author().ID, "updated_by_name": c.Author().Name,
	})
	if res.Error != nil {
		return nil, res.Error
	} else if res.RowsAffected != 1 {
		return nil, versionConflict()
	}
	if rolesChanged {
		if err := tx.Where("user_id = ? AND role_id NOT IN (SELECT id FROM roles WHERE hidden)", cur.ID).Delete(&userRoleRow{}).Error; err != nil {
			return nil, err
		}
		for _, r := range next.Roles {
			if err := tx.Create(&userRoleRow{UserID: cur.ID, RoleID: r.ID}).Error; err != nil {
				return nil, err
			}
		}
	}
	next.UpdatedAt, next.Version, next.UpdatedBy = now, version+1, c.Author()
	action := kind + ".update"
	if next.Status == regent.UserStatusDeactivated && cur.Status != regent.UserStatusDeactivated {
		action = kind + ".deactivate"
	}
	ev := s.db.newEvent(ctx, action, regent.OutcomeSuccess)
	ev.TenantID, ev.TargetType, ev.TargetID = cur.HomeTenantID, "user", cur.ID
	after := userAudit(&next)
	if next.Email != cur.Email {
		after["email"] = redactedChanged
	}
	ev.Before, ev.After = mustJSON(before), mustJSON(after)
	return &next, appendAudit(tx, ev)
}

// userAudit is a user as the audit trail stores it; the email address is personal data
// and only its change is recorded.
func userAudit(u *regent.UserView) map[string]any {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = r.Name
	}
	return map[string]any{"name": u.Name, "email": redacted, "status": u.Status, "roles": roles, "version": u.Version}
}

func emailConflict(err error) error {
	if e, ok := err.(*regent.Error); ok && e.Code == regent.ECONFLICT && e.Reason == "" {
		return &regent.Error{Code: regent.ECONFLICT, Reason: "email_taken",
			Message: "Someone with that email address already has an account.", Fields: map[string]string{"email": "is already used"}}
	}
	return err
}

// Employees: the same people operations inside one tenant, under tenant-app permissions.

func employees(db *gorm.DB, tenantID string) *gorm.DB {
	return users(db).Where("u.home_tenant_id = ?", tenantID)
}

// employeeRoles are the roles an employee of tenantID may hold: the built-in tenant roles
// and the tenant's own custom roles.
func employeeRoles(tenantID string) func(*gorm.DB) *gorm.DB {
	return func(tx *gorm.DB) *gorm.DB {
		return tx.Where("(tenant_id IS NULL AND home_kind = ?) OR tenant_id = ?", regent.TenantKindCustomer, tenantID)
	}
}

// ListEmployees implements regent.UserService.
func (s *UserService) ListEmployees(ctx context.Context, tenantID string, f regent.UserFilter) ([]*regent.UserView, int, error) {
	if _, err := access(ctx, tenantID, regent.PermEmployeesRead); err != nil {
		return nil, 0, err
	}
	f.Normalize()
	db := s.db.gdb.WithContext(ctx)
	if views, total, ok, err := s.listEmployees(db, tenantID, f); ok || err != nil {
		return views, total, err
	}
	views, total, err := s.list(db, func(q *gorm.DB) *gorm.DB {
		return q.Where("u.home_tenant_id = ?", tenantID)
	}, f)
	if err == nil && strings.TrimSpace(f.Query) == "" && f.Status == "" {
		s.db.people.consider(s.db, tenantID, total)
	}
	return views, total, err
}

// EmployeeByID implements regent.UserService.
func (s *UserService) EmployeeByID(ctx context.Context, tenantID, id string) (*regent.UserView, error) {
	if _, err := access(ctx, tenantID, regent.PermEmployeesRead); err != nil {
		return nil, err
	}
	return s.one(employees(s.db.gdb.WithContext(ctx), tenantID), id)
}

// InviteEmployee implements regent.UserService.
func (s *UserService) InviteEmployee(ctx context.Context, tenantID string, in regent.UserInput) (*regent.UserView, error) {
	if _, err := access(ctx, tenantID, regent.PermEmployeesManage); err != nil {
		return nil, err
	}
	var out *regent.UserView
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var home tenantRow
		if err := tx.Where("id = ?", tenantID).Take(&home).Error; err != nil {
			return err
		}
		var err error
		out, err = s.invite(ctx, tx, home.domain(), in, employeeRoles(tenantID), "employee.create")
		return err
	})
	return out, emailConflict(translate(err))
}

// UpdateEmployee implements regent.UserService.
func (s *UserService) UpdateEmployee(ctx context.Context, tenantID, id string, version int, patch map[string]any) (*regent.UserView, error) {
	if _, err := access(ctx, tenantID, regent.PermEmployeesManage); err != nil {
		return nil, err
	}
	var out *regent.UserView
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := s.one(employees(tx, tenantID), id)
		if err != nil {
			return err
		}
		out, err = s.update(ctx, tx, cur, version, patch, employeeRoles(tenantID), "employee")
		return err
	})
	return out, emailConflict(translate(err))
}

// DeactivateEmployee implements regent.UserService.
func (s *UserService) DeactivateEmployee(ctx context.Context, tenantID, id string) error {
	if _, err := access(ctx, tenantID, regent.PermEmployeesManage); err != nil {
		return err
	}
	return translate(s.db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := s.one(employees(tx, tenantID), id)
		if err != nil || cur.Status == regent.UserStatusDeactivated {
			return err
		}
		_, err = s.update(ctx, tx, cur, cur.Version, map[string]any{"status": regent.UserStatusDeactivated}, employeeRoles(tenantID), "employee")
		return err
	}))
}
