package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	if got := tuneGC(func(string) string { return "" }); got != "400" || debug.SetGCPercent(100) != serverGOGC {
		t.Errorf("without GOGC: reported %s, collector target not %d", got, serverGOGC)
	}
	// An operator's GOGC wins: the runtime has read it, and tuneGC leaves the target alone.
	if got := tuneGC(func(k string) string { return map[string]string{"GOGC": "off"}[k] }); got != "off" || debug.SetGCPercent(100) != 100 {
		t.Errorf("with GOGC=off: reported %s or changed the target", got)
	}
}
