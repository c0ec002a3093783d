// Package cooldown tracks ability definitions and their cooldown timers.
package cooldown

import (
	"sync"
	"time"
)

// School of magic / damage an ability belongs to.
type School uint8

// Ability is a static ability definition loaded from game data.
type Ability struct {
	ID         uint32
	Name       string
	Passive    bool
	Cooldown   time.Duration
	School     School
	CastTime   time.Duration
	ManaCost   int32
	Range      float32
	Channeled  bool
	GlobalCD   bool
	MaxCharges uint8
	Scaling    float64
	Knockback  complex64
	Tags       []string
}

// Cooldown is a running timer for one (player, ability) pair.
type Cooldown struct {
	AbilityID uint32
	ReadyAt   time.Time
	Charges   uint8
	Duration  time.Duration
	Reduced   bool
	Recharge  time.Duration
	Paused    bool
}

// Ready reports whether the cooldown has elapsed at now.
func (c *Cooldown) Ready(now time.Time) bool {
	return c.Charges > 0 || !now.Before(c.ReadyAt)
}

// Table holds all cooldowns for one player.
type Table struct {
	mu       sync.RWMutex
	PlayerID uint64
	Dirty    bool
	ByID     map[uint32]*Cooldown
	Global   Cooldown
	Haste    float32
	Updates  uint64
	Locked   bool
}

// NewTable returns an empty table.
func NewTable(player uint64) *Table {
	return &Table{PlayerID: player, ByID: make(map[uint32]*Cooldown)}
}

// Trigger starts the cooldown for a.
func (t *Table) Trigger(a *Ability, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	cd, ok := t.ByID[a.ID]
	if !ok {
		cd = &Cooldown{AbilityID: a.ID, Charges: a.MaxCharges, Duration: a.Cooldown}
		t.ByID[a.ID] = cd
	}
	if cd.Charges > 0 {
		cd.Charges--
	}
	d := time.Duration(float64(a.Cooldown) / float64(1+t.Haste))
	cd.ReadyAt = now.Add(d)
	if a.GlobalCD {
		t.Global.ReadyAt = now.Add(1500 * time.Millisecond)
	}
	t.Dirty = true
	t.Updates++
}

// Count returns how many cooldowns are tracked.
func (t *Table) Count() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.ByID)
}
