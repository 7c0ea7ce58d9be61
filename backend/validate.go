package regent

import (
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Validator collects field errors. Its methods check one rule each and record the first
// problem per field, so a form shows one clear message per field.
type Validator map[string]string

func (v Validator) add(field, msg string) {
	if _, seen := v[field]; !seen {
		v[field] = msg
	}
}

// Text requires s to have between min and max characters and to be PlainText.
func (v Validator) Text(field, s string, min, max int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n < min && min == 1:
		v.add(field, "is required")
	case n < min:
		v.add(field, "is too short")
	case n > max:
		v.add(field, "is too long")
	case !PlainText(s):
		v.add(field, NotPlainText)
	}
}

// NotPlainText is the field error for text that PlainText refuses.
const NotPlainText = "contains control or text-direction characters"

// PlainText reports whether s is valid UTF-8 without control characters (but for newline
// and tab) and without the invisible characters that embed, override or isolate the text's
// direction (U+202A–U+202E, U+2066–U+2069): with those, a name or a reason can display as
// something other than what it is, to the tenant admins who read it.
func PlainText(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool {
		return (unicode.IsControl(r) && r != '\n' && r != '\t') || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
	}) < 0
}

// Term requires a search or filter term of at most max bytes of UTF-8 text without control
// characters: PostgreSQL refuses a NUL or broken UTF-8 in any text it is sent, so such a term
// is the caller's mistake, said here, and never a failed query.
func (v Validator) Term(field, s string, max int) {
	switch {
	case len(s) > max:
		v.add(field, "is too long")
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		v.add(field, "must be plain text, without control characters")
	}
}

// OneOf requires s to be one of the allowed values.
func (v Validator) OneOf(field, s string, allowed ...string) {
	if !slices.Contains(allowed, s) {
		v.add(field, "must be one of: "+strings.Join(allowed, ", "))
	}
}

// Email requires a plain address (no display name), when required or not empty.
func (v Validator) Email(field, s string, required bool) {
	if s == "" && !required {
		return
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		v.add(field, "must be an email address such as name@example.com")
	}
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]{3,30}$`)

// Phone requires a plausible phone number, when not empty.
func (v Validator) Phone(field, s string) {
	if s != "" && !phonePattern.MatchString(s) {
		v.add(field, "must be a phone number such as +33 1 23 45 67 89")
	}
}

// TimeZone requires an IANA time zone name such as Europe/Paris.
func (v Validator) TimeZone(field, s string) {
	if s == "" || s == "Local" {
		v.add(field, "must be an IANA time zone such as Europe/Paris")
		return
	}
	if _, err := time.LoadLocation(s); err != nil {
		v.add(field, "must be an IANA time zone such as Europe/Paris")
	}
}

var colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Color requires a #RRGGBB colour, when required or not empty.
func (v Validator) Color(field, s string, required bool) {
	if (s != "" || required) && !colorPattern.MatchString(s) {
		v.add(field, "must be a colour such as #1c7ed6")
	}
}

// HTTPSURL requires an absolute https URL, when not empty.
func (v Validator) HTTPSURL(field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(s) > 2048 {
		v.add(field, "must be an https:// URL")
	}
}

// err returns EINVALID with the messages, or nil when there are none.
func (v Validator) err() error {
	if fields := v.Result(); fields != nil {
		return Invalid(fields)
	}
	return nil
}

// Result returns the field errors, or nil when there are none.
func (v Validator) Result() map[string]string {
	if len(v) == 0 {
		return nil
	}
	return v
}

// Validate checks a business unit.
func (b *BusinessUnit) Validate() map[string]string {
	v := Validator{}
	v.Text("name", b.Name, 1, 100)
	v.TimeZone("timeZone", b.TimeZone)
	v.OneOf("status", b.Status, StatusActive, StatusInactive)
	return v.Result()
}

// Validate checks a skill.
func (s *Skill) Validate() map[string]string {
	v := Validator{}
	v.Text("name", s.Name, 1, 100)
	v.OneOf("channel", s.Channel, SkillChannels...)
	v.OneOf("direction", s.Direction, SkillDirections...)
	return v.Result()
}

// Validate checks a branding profile.
func (b *BrandingProfile) Validate() map[string]string {
	v := Validator{}
	v.Text("name", b.Name, 1, 100)
	v.Text("productName", b.ProductName, 1, 100)
	v.Color("primaryColor", b.PrimaryColor, true)
	v.Color("accentColor", b.AccentColor, false)
	v.HTTPSURL("logoUrl", b.LogoURL)
	return v.Result()
}

// Validate checks a contact.
func (c *Contact) Validate() map[string]string {
	v := Validator{}
	v.Text("name", c.Name, 1, 200)
	v.Email("email", c.Email, false)
	v.Phone("phone", c.Phone)
	v.Text("notes", c.Notes, 0, 2000)
	return v.Result()
}
