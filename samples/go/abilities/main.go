// Command abilities runs a few casts with cooldowns and auras.
package main

import (
	"fmt"
	"time"

	"github.com/acme/game/abilities/cooldown"
	"github.com/acme/game/abilities/effects"
)

func main() {
	now := time.Unix(1700000000, 0)
	book := []cooldown.Ability{
		{ID: 1, Name: "Fireball", Cooldown: 0, CastTime: 2 * time.Second, ManaCost: 40, Range: 35, GlobalCD: true, MaxCharges: 1, Scaling: 1.2, School: 2},
		{ID: 2, Name: "Blink", Cooldown: 15 * time.Second, ManaCost: 10, GlobalCD: false, MaxCharges: 2, Knockback: complex(0, 5)},
		{ID: 3, Name: "Frost Nova", Cooldown: 25 * time.Second, ManaCost: 30, Range: 10, GlobalCD: true, MaxCharges: 1, Tags: []string{"aoe", "root"}},
		{ID: 4, Name: "Corruption", Cooldown: 0, ManaCost: 20, Range: 40, Channeled: false, GlobalCD: true, MaxCharges: 1, School: 5},
	}
	table := cooldown.NewTable(77)
	table.Haste = 0.15

	expired := 0
	var auras []effects.Effect
	auras = append(auras,
		&effects.Buff{Aura: effects.Aura{SpellID: 10, Applied: now, Stacks: 1, Expires: now.Add(30 * time.Second), Visible: true,
			Mods: [3]effects.Modifier{{Stat: 3, Flat: 50}, {Stat: 4, Percent: true, Factor: 0.1}}}, Shield: 200, Source: "priest"},
		&effects.Debuff{Aura: effects.Aura{SpellID: 4, Applied: now, Stacks: 3, Expires: now.Add(12 * time.Second), CasterID: 77},
			Periodic: true, TickDamage: 12, Interval: 2 * time.Second, LastTick: now, OnExpire: func(*effects.Debuff) { expired++ }},
		&effects.Debuff{Aura: effects.Aura{SpellID: 3, Applied: now, Stacks: 1, Expires: now.Add(4 * time.Second)}, Snare: true, SlowPct: 0.5,
			OnExpire: func(*effects.Debuff) { expired++ }},
	)

	cast := &effects.CastState{Done: make(chan bool, len(book))}
	casts := 0
	for i := range book {
		a := &book[i]
		cast.Casting, cast.Ability, cast.Started = true, a, now
		cast.Finish = now.Add(a.CastTime)
		cast.TargetID = 500
		cast.Effects = auras
		table.Trigger(a, now)
		cast.Casting = false
		cast.Done <- !cast.Interrupted
		casts++
	}
	close(cast.Done)
	ok := 0
	for v := range cast.Done {
		if v {
			ok++
		}
	}

	var dot int64
	for t := 0; t <= 14; t++ {
		tick := now.Add(time.Duration(t) * time.Second)
		for _, e := range auras {
			amt, _ := e.Tick(tick)
			dot += amt
		}
	}
	ready := 0
	for _, a := range book {
		if table.ByID[a.ID].Ready(now.Add(10 * time.Second)) {
			ready++
		}
	}
	fmt.Printf("abilities: casts=%d ok=%d tracked=%d ready@10s=%d dot=%d expired=%d updates=%d\n",
		casts, ok, table.Count(), ready, dot, expired, table.Updates)
}
