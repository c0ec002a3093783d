// Package effects implements buffs, debuffs and casting state.
package effects

import (
	"time"

	"github.com/acme/game/abilities/cooldown"
)

// Effect is anything that ticks on a target.
type Effect interface {
	Tick(now time.Time) (amount int64, expired bool)
	Name() string
}

// Stat identifies a modified attribute.
type Stat int16

// Modifier changes one stat while an aura is active.
type Modifier struct {
	Stat     Stat
	Flat     int64
	Percent  bool
	Factor   float64
	Stacking bool
}

// Aura is the common part of buffs and debuffs.
type Aura struct {
	SpellID  uint32
	Applied  time.Time
	Stacks   uint8
	Expires  time.Time
	Visible  bool
	CasterID uint64
	Dispel   int8
	Mods     [3]Modifier
}

// Buff is a beneficial aura.
type Buff struct {
	Aura
	Refreshable bool
	Shield      int64
	Source      interface{}
}

// Tick implements Effect.
func (b *Buff) Tick(now time.Time) (int64, bool) { return 0, now.After(b.Expires) }

// Name implements Effect.
func (b *Buff) Name() string { return "buff" }

// Debuff is a harmful aura with periodic damage.
type Debuff struct {
	Aura
	Periodic   bool
	TickDamage int32
	Interval   time.Duration
	LastTick   time.Time
	Snare      bool
	SlowPct    float32
	OnExpire   func(d *Debuff)
}

// Tick implements Effect.
func (d *Debuff) Tick(now time.Time) (int64, bool) {
	if now.After(d.Expires) {
		if d.OnExpire != nil {
			d.OnExpire(d)
		}
		return 0, true
	}
	if d.Periodic && now.Sub(d.LastTick) >= d.Interval {
		d.LastTick = now
		return int64(d.TickDamage) * int64(d.Stacks), false
	}
	return 0, false
}

// Name implements Effect.
func (d *Debuff) Name() string { return "debuff" }

// CastState is the in-progress cast of a player.
type CastState struct {
	Casting     bool
	Ability     *cooldown.Ability
	Interrupted bool
	Started     time.Time
	Pushback    int16
	Finish      time.Time
	TargetID    uint64
	Moving      bool
	Progress    float32
	Effects     []Effect
	Done        chan bool
}
