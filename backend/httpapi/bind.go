package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// maxBody bounds every JSON request body.
const maxBody = 1 << 20

// decodeJSON reads the body into v, refusing anything but one JSON object of known fields.
// Every problem is an EINVALID with a message a person can act on.
func decodeJSON(c echo.Context, v any) error {
	r := c.Request()
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return &regent.Error{Code: regent.EINVALID, Reason: "unsupported_media_type", Message: "Send the body as application/json."}
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return regent.Errorf(regent.EINVALID, "The body must hold one JSON object and nothing after it.")
	}
	return nil
}

func bodyError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return regent.Errorf(regent.EINVALID, "The body is larger than %d bytes.", maxBody)
	case errors.As(err, &typ) && typ.Field != "":
		return regent.Invalid(map[string]string{typ.Field: "must be a " + jsonType(typ.Type.Kind().String())})
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return regent.Errorf(regent.EINVALID, "The body is not valid JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return regent.Invalid(map[string]string{f: "is not a known field"})
	}
	return regent.Errorf(regent.EINVALID, "The body could not be read as the expected JSON object.")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// listFilter reads the common list parameters: q, status, sort ("name" or "-name"), page,
// pageSize (capped at regent.MaxPageSize).
func listFilter(c echo.Context) (regent.ListFilter, error) {
	f := regent.ListFilter{Query: c.QueryParam("q"), Status: c.QueryParam("status")}
	bad := regent.Validator{}
	var err error
	if s := c.QueryParam("page"); s != "" {
		if f.Page, err = strconv.Atoi(s); err != nil || f.Page < 1 || f.Page > 1_000_000 {
			bad["page"] = "must be a whole number from 1"
		}
	}
	if s := c.QueryParam("pageSize"); s != "" {
		if f.PageSize, err = strconv.Atoi(s); err != nil || f.PageSize < 1 {
			bad["pageSize"] = fmt.Sprintf("must be a whole number from 1 to %d", regent.MaxPageSize)
		}
	}
	bad.Term("q", f.Query, 200)
	f.Sort = c.QueryParam("sort")
	if strings.HasPrefix(f.Sort, "-") {
		f.Sort, f.Desc = f.Sort[1:], true
	}
	if fields := bad.Result(); fields != nil {
		return f, regent.Invalid(fields)
	}
	f.Normalize()
	return f, nil
}

// list is the shape of every list answer.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// readPatch reads a JSON merge patch and the version it applies to: the "version" member,
// or an If-Match header holding the ETag of a GET. Without either the change is refused, so
// that nobody overwrites an edit they never saw.
func readPatch(c echo.Context) (map[string]any, int, error) {
	var patch map[string]any
	if err := decodeJSON(c, &patch); err != nil {
		return nil, 0, err
	}
	if patch == nil {
		return nil, 0, regent.Errorf(regent.EINVALID, "The body must be a JSON object.")
	}
	version := -1
	if v, ok := patch["version"]; ok {
		if n, ok := v.(float64); ok && n == float64(int(n)) {
			version = int(n)
		} else {
			return nil, 0, regent.Invalid(map[string]string{"version": "must be a whole number"})
		}
		delete(patch, "version")
	} else if m := c.Request().Header.Get("If-Match"); m != "" {
		n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(m, "W/"), `"`))
		if err != nil {
			return nil, 0, regent.Invalid(map[string]string{"If-Match": "must be the ETag of the record"})
		}
		version = n
	}
	if version < 0 {
		return nil, 0, &regent.Error{Code: regent.EINVALID, Reason: "version_required",
			Message: "Say which version you are changing: send \"version\" in the body or an If-Match header.",
			Fields:  map[string]string{"version": "is required"}}
	}
	return patch, version, nil
}

func setETag(c echo.Context, version int) {
	c.Response().Header().Set("ETag", fmt.Sprintf(`"%d"`, version))
}
