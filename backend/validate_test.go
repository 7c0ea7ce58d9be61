package regent

import "testing"

func TestPlainText(t *testing.T) {
	for s, want := range map[string]bool{
		"Ticket 4711: line one\n\tline two": true,
		"שלום \u200fעולם":                   true, // a right-to-left mark only marks
		"nul \x00":                          false,
		"carriage \r return":                false,
		"delete \x7f":                       false,
		"c1 \u0085":                         false,
		"broken \xff utf-8":                 false,
		"override \u202e":                   false,
		"embedding \u202a":                  false,
		"isolate \u2066":                    false,
		"pop isolate \u2069":                false,
	} {
		if got := PlainText(s); got != want {
			t.Errorf("PlainText(%q) = %v, want %v", s, got, want)
		}
	}
	v := Validator{}
	v.Text("name", "Ann \u202eevil", 1, 100)
	if v["name"] != NotPlainText {
		t.Errorf("Text: %v", v)
	}
}
