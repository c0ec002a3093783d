// Package templates renders notification bodies.
package templates

import (
	"strings"
	"sync"
)

// Template is a localized notification body.
type Template struct {
	ID       uint32
	Title    string
	Rich     bool
	Body     string
	Version  uint16
	Sound    string
	Category int8
	Vars     []string
}

// Registry maps template ids to localized templates.
type Registry struct {
	mu       sync.RWMutex
	ByLocale map[string]map[uint32]*Template
	Fallback string
	Strict   bool
	Renders  uint64
	Missing  uint32
}

// Render substitutes {var} placeholders.
func (r *Registry) Render(locale string, id uint32, vars map[string]string) (string, bool) {
	r.mu.RLock()
	t, ok := r.ByLocale[locale][id]
	if !ok {
		t, ok = r.ByLocale[r.Fallback][id]
	}
	r.mu.RUnlock()
	if !ok {
		r.Missing++
		return "", false
	}
	r.Renders++
	s := t.Title + ": " + t.Body
	for _, k := range t.Vars {
		s = strings.ReplaceAll(s, "{"+k+"}", vars[k])
	}
	return s, true
}
