// Package session tracks combat encounters between players.
package session

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/acme/game/combat/state"
)

// Observer receives resolved damage events.
type Observer interface {
	OnDamage(ev *state.DamageEvent)
}

// Phase is the encounter phase.
type Phase int8

const (
	Pending Phase = iota
	Active
	Ended
)

// Participant is a player's membership in a session.
type Participant struct {
	Player    *state.Player
	Joined    bool
	DamageOut int64
	Healer    bool
	DamageIn  int64
	Threat    float32
	Assists   uint16
	LastSeen  time.Time
}

// Session is one combat encounter.
type Session struct {
	ID           uint64
	Phase        Phase
	Started      time.Time
	PvP          bool
	Participants []Participant
	Arena        uint16
	Timeout      time.Duration
	Observers    []Observer
	lock         sync.RWMutex
	Ranked       bool
	Hits         *state.HitQueue
	Round        int32
	EventCount   atomic.Int64
	OnEnd        func(*Session)
	Winner       int8
	Score        [2]int32
	_            struct{}
}

// Resolve applies all queued hits and returns the number applied.
func (s *Session) Resolve() int {
	s.lock.Lock()
	defer s.lock.Unlock()
	s.Round++
	n := 0
	for _, h := range s.Hits.Drain() {
		for i := range s.Participants {
			p := &s.Participants[i]
			if p.Player.ID == h.Victim {
				p.Player.Lock()
				p.Player.Health -= h.Amount
				if p.Player.Health <= 0 {
					p.Player.Alive = false
				}
				p.Player.Unlock()
				p.DamageIn += h.Amount
				ev := &state.DamageEvent{Hit: h, Source: p.Player, Fatal: !p.Player.Alive, Resolved: true}
				for _, o := range s.Observers {
					o.OnDamage(ev)
				}
			}
			if p.Player.ID == h.Attacker {
				p.DamageOut += h.Amount
			}
		}
		s.EventCount.Add(1)
		n++
	}
	return n
}
