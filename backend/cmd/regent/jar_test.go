package main

import (
	"net/http"
	"net/http/cookiejar"
)

func newJarClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}
