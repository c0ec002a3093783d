// Package equip models equipment slots on a character.
package equip

import (
	"github.com/acme/game/inventory/items"
)

// SlotKind is a body slot.
type SlotKind uint8

const (
	Head SlotKind = iota
	Chest
	Legs
	Feet
	MainHand
	OffHand
	Ring1
	Ring2
	NumSlots
)

// Stats are aggregate bonuses from gear.
type Stats struct {
	Armor    int32
	Strength int16
	Crit     float32
	Agility  int16
	Speed    float64
	Stamina  int16
}

// Slot is one equipment slot.
type Slot struct {
	Kind    SlotKind
	Item    *items.Item
	Locked  bool
	Bonus   Stats
	Visible bool
}

// Loadout is the full set of equipped gear.
type Loadout struct {
	Owner     uint64
	Slots     [NumSlots]Slot
	Dirty     bool
	Total     Stats
	SetBonus  map[string]uint8
	Validator func(s *Slot) error
}

// Equip places it into the slot of kind k and returns what was there.
func (l *Loadout) Equip(k SlotKind, it *items.Item, bonus Stats) *items.Item {
	if l.Validator != nil {
		if err := l.Validator(&l.Slots[k]); err != nil {
			return nil
		}
	}
	old := l.Slots[k].Item
	l.Slots[k] = Slot{Kind: k, Item: it, Bonus: bonus, Visible: k != Ring1 && k != Ring2}
	l.Dirty = true
	return old
}

// Recompute sums the bonuses of every equipped slot.
func (l *Loadout) Recompute() Stats {
	var t Stats
	for _, s := range l.Slots {
		if s.Item == nil {
			continue
		}
		t.Armor += s.Bonus.Armor
		t.Strength += s.Bonus.Strength
		t.Agility += s.Bonus.Agility
		t.Stamina += s.Bonus.Stamina
		t.Crit += s.Bonus.Crit
		t.Speed += s.Bonus.Speed
	}
	l.Total = t
	l.Dirty = false
	return t
}
