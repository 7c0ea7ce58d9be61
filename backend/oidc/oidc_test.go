package oidc_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/regent/regent/oidc"
)

// provider is a minimal OpenID provider whose token endpoint answers with an ID token of
// the claims the test sets.
type provider struct {
	*httptest.Server
	key    *rsa.PrivateKey
	claims map[string]any
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/keys", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}}, nil)
		if err != nil {
			t.Error(err)
			return
		}
		payload, _ := json.Marshal(p.claims)
		jws, err := signer.Sign(payload)
		if err != nil {
			t.Error(err)
			return
		}
		raw, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": raw})
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// TestAuthTimeWithoutTheClaim: a provider that leaves auth_time out tells nothing about when
// the person last authenticated (a silent sign-in through its own session can be hours after
// it). The identity must not pass for a fresh authentication, or impersonation's
// re-authentication window is skipped.
func TestAuthTimeWithoutTheClaim(t *testing.T) {
	p := newProvider(t)
	now := time.Now()
	base := map[string]any{"iss": p.URL, "sub": "s1", "aud": "regent", "nonce": "n1",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "email": "a@example.com", "email_verified": true}
	rp := oidc.New(oidc.Config{Issuer: p.URL, ClientID: "regent", ClientSecret: "secret", RedirectURL: "http://127.0.0.1/auth/callback"})

	p.claims = base
	id, err := rp.Exchange(t.Context(), "code", "verifier", "n1", -1)
	if err != nil {
		t.Fatalf("exchange without auth_time: %v", err)
	}
	if !id.AuthTime.IsZero() {
		t.Errorf("auth time without the claim: got %v (the token's iat), want unknown (zero)", id.AuthTime)
	}
	if _, err := rp.Exchange(t.Context(), "code", "verifier", "n1", 0); err == nil {
		t.Error("a step-up (max_age=0) answered without auth_time was accepted")
	}

	claims := map[string]any{"auth_time": now.Add(-time.Minute).Unix()}
	for k, v := range base {
		claims[k] = v
	}
	p.claims = claims
	id, err = rp.Exchange(t.Context(), "code", "verifier", "n1", 300)
	if err != nil || id.AuthTime.Unix() != now.Add(-time.Minute).Unix() {
		t.Errorf("with auth_time: got %v %v", id, err)
	}
}
