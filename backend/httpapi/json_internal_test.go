package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestJSONAnswersAreWholeWithTheirLength(t *testing.T) {
	e := echo.New()
	e.JSONSerializer = jsonSerializer{}
	big := strings.Repeat("x", 20_000) // several times net/http's 4 KiB buffer
	e.GET("/ok", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"v": big}) })

	srv := httptest.NewServer(e)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.ContentLength != int64(len(`{"v":""}`+"\n")+len(big)) || len(res.TransferEncoding) != 0 {
		t.Errorf("length %d, transfer encoding %v", res.ContentLength, res.TransferEncoding)
	}

}
