package httpapi

import "testing"

func TestSafeReturnTo(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/tenants", "/tenants"},
		{"/tenants?q=paris&page=2", "/tenants?q=paris&page=2"},
		{"/t/123/employees#top", "/t/123/employees#top"},
		{"tenants", "/"},
		{"https://evil.example/x", "/"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"},
		{"/a\nb", "/"},
		{"/auth/logout", "/"},
		{"javascript:alert(1)", "/"},
	}
	for _, tt := range tests {
		if got := safeReturnTo(tt.in); got != tt.want {
			t.Errorf("safeReturnTo(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
