package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// authorResponse names who created or changed a record.
type authorResponse struct {
	Name string `json:"name"`
}

// recordResponse is what every tenant-app item carries besides its own fields.
type recordResponse struct {
	ID        string         `json:"id"`
	TenantID  string         `json:"tenantId"`
	CreatedAt time.Time      `json:"createdAt"`
	UpdatedAt time.Time      `json:"updatedAt"`
	CreatedBy authorResponse `json:"createdBy"`
	UpdatedBy authorResponse `json:"updatedBy"`
	Version   int            `json:"version"`
}

func recordView(r regent.Record) recordResponse {
	return recordResponse{ID: r.ID, TenantID: r.TenantID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		CreatedBy: authorResponse{r.CreatedBy.Name}, UpdatedBy: authorResponse{r.UpdatedBy.Name}, Version: r.Version}
}

// resourceAPI serves one simple tenant-app collection. Q is the create request, V the item
// response; create and view map them to and from the domain type.
type resourceAPI[T any, Q any, V any] struct {
	svc     regent.TenantResourceService[T]
	create  func(*Q) *T
	view    func(*T) V
	version func(*T) int
}

// mount registers list, create, get, patch and delete under path on g.
func (a resourceAPI[T, Q, V]) mount(g *echo.Group, path string) {
	g.GET(path, a.list)
	g.POST(path, a.add)
	g.GET(path+"/:itemId", a.get)
	g.PATCH(path+"/:itemId", a.update)
	g.DELETE(path+"/:itemId", a.remove)
}

func (a resourceAPI[T, Q, V]) list(c echo.Context) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	items, total, err := a.svc.List(c.Request().Context(), c.Param("id"), f)
	if err != nil {
		return err
	}
	out := list[V]{Items: make([]V, len(items)), Total: total}
	for i, it := range items {
		out.Items[i] = a.view(it)
	}
	return c.JSON(http.StatusOK, out)
}

func (a resourceAPI[T, Q, V]) add(c echo.Context) error {
	var req Q
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := a.svc.Create(c.Request().Context(), c.Param("id"), a.create(&req))
	if err != nil {
		return err
	}
	setETag(c, a.version(v))
	return c.JSON(http.StatusCreated, a.view(v))
}

func (a resourceAPI[T, Q, V]) get(c echo.Context) error {
	v, err := a.svc.Get(c.Request().Context(), c.Param("id"), c.Param("itemId"))
	if err != nil {
		return err
	}
	setETag(c, a.version(v))
	return c.JSON(http.StatusOK, a.view(v))
}

func (a resourceAPI[T, Q, V]) update(c echo.Context) error {
	patch, version, err := readPatch(c)
	if err != nil {
		return err
	}
	v, err := a.svc.Update(c.Request().Context(), c.Param("id"), c.Param("itemId"), version, patch)
	if err != nil {
		return err
	}
	setETag(c, a.version(v))
	return c.JSON(http.StatusOK, a.view(v))
}

func (a resourceAPI[T, Q, V]) remove(c echo.Context) error {
	if err := a.svc.Delete(c.Request().Context(), c.Param("id"), c.Param("itemId")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Business units.

type businessUnitRequest struct {
	Name     string `json:"name"`
	TimeZone string `json:"timeZone"`
	Status   string `json:"status"`
}

type businessUnitResponse struct {
	recordResponse
	Name     string `json:"name"`
	TimeZone string `json:"timeZone"`
	Status   string `json:"status"`
}

func businessUnitAPI(svc regent.TenantResourceService[regent.BusinessUnit]) resourceAPI[regent.BusinessUnit, businessUnitRequest, businessUnitResponse] {
	return resourceAPI[regent.BusinessUnit, businessUnitRequest, businessUnitResponse]{svc: svc,
		create: func(q *businessUnitRequest) *regent.BusinessUnit {
			return &regent.BusinessUnit{Name: q.Name, TimeZone: q.TimeZone, Status: q.Status}
		},
		view: func(v *regent.BusinessUnit) businessUnitResponse {
			return businessUnitResponse{recordView(v.Record), v.Name, v.TimeZone, v.Status}
		},
		version: func(v *regent.BusinessUnit) int { return v.Version },
	}
}

// Skills.

type skillRequest struct {
	Name      string `json:"name"`
	Channel   string `json:"channel"`
	Direction string `json:"direction"`
}

type skillResponse struct {
	recordResponse
	Name      string `json:"name"`
	Channel   string `json:"channel"`
	Direction string `json:"direction"`
}

func skillAPI(svc regent.TenantResourceService[regent.Skill]) resourceAPI[regent.Skill, skillRequest, skillResponse] {
	return resourceAPI[regent.Skill, skillRequest, skillResponse]{svc: svc,
		create: func(q *skillRequest) *regent.Skill {
			return &regent.Skill{Name: q.Name, Channel: q.Channel, Direction: q.Direction}
		},
		view: func(v *regent.Skill) skillResponse {
			return skillResponse{recordView(v.Record), v.Name, v.Channel, v.Direction}
		},
		version: func(v *regent.Skill) int { return v.Version },
	}
}

// Branding profiles.

type brandingRequest struct {
	Name         string `json:"name"`
	ProductName  string `json:"productName"`
	PrimaryColor string `json:"primaryColor"`
	AccentColor  string `json:"accentColor"`
	LogoURL      string `json:"logoUrl"`
}

type brandingResponse struct {
	recordResponse
	Name         string `json:"name"`
	ProductName  string `json:"productName"`
	PrimaryColor string `json:"primaryColor"`
	AccentColor  string `json:"accentColor"`
	LogoURL      string `json:"logoUrl"`
}

func brandingAPI(svc regent.TenantResourceService[regent.BrandingProfile]) resourceAPI[regent.BrandingProfile, brandingRequest, brandingResponse] {
	return resourceAPI[regent.BrandingProfile, brandingRequest, brandingResponse]{svc: svc,
		create: func(q *brandingRequest) *regent.BrandingProfile {
			return &regent.BrandingProfile{Name: q.Name, ProductName: q.ProductName, PrimaryColor: q.PrimaryColor,
				AccentColor: q.AccentColor, LogoURL: q.LogoURL}
		},
		view: func(v *regent.BrandingProfile) brandingResponse {
			return brandingResponse{recordView(v.Record), v.Name, v.ProductName, v.PrimaryColor, v.AccentColor, v.LogoURL}
		},
		version: func(v *regent.BrandingProfile) int { return v.Version },
	}
}

// Contacts.

type contactRequest struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Notes string `json:"notes"`
}

type contactResponse struct {
	recordResponse
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Notes string `json:"notes"`
}

func contactAPI(svc regent.TenantResourceService[regent.Contact]) resourceAPI[regent.Contact, contactRequest, contactResponse] {
	return resourceAPI[regent.Contact, contactRequest, contactResponse]{svc: svc,
		create: func(q *contactRequest) *regent.Contact {
			return &regent.Contact{Name: q.Name, Email: q.Email, Phone: q.Phone, Notes: q.Notes}
		},
		view: func(v *regent.Contact) contactResponse {
			return contactResponse{recordView(v.Record), v.Name, v.Email, v.Phone, v.Notes}
		},
		version: func(v *regent.Contact) int { return v.Version },
	}
}
