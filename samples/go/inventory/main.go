// Command inventory fills a character's bags and equips gear.
package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/acme/game/inventory/equip"
	"github.com/acme/game/inventory/items"
)

func main() {
	now := time.Unix(1700000000, 0)
	templates := []*items.Template{
		{ID: 1, Name: "Health Potion", Stackable: true, MaxStack: 20, Weight: 0.2, Value: 25, Tradable: true},
		{ID: 2, Name: "Iron Ore", Stackable: true, MaxStack: 100, Weight: 1.0, Value: 3, Tradable: true},
		{ID: 3, Name: "Runed Helm", Weight: 4.5, Rarity: items.Rare, Value: 900, Level: 20},
		{ID: 4, Name: "Ashbringer", Weight: 12, Rarity: items.Legendary, Value: 50000, Level: 60},
		{ID: 5, Name: "Band of Ages", Weight: 0.1, Rarity: items.Epic, Value: 7000, Level: 55, Tradable: true},
	}
	inv := items.NewInventory(42, 16)
	var uid uint64 = 1000
	added := 0
	for i := 0; i < 60; i++ {
		t := templates[i%len(templates)]
		uid++
		it := &items.Item{UID: uid, Template: t, Durability: 100, Created: now, Quality: int8(i % 5)}
		if t.Rarity >= items.Epic {
			it.Bound, it.Enchanted = true, true
			it.Attrs = map[string]int32{"str": 10, "sta": 12}
			it.Sockets = [3]uint32{7, 0, 0}
		}
		if inv.Add(it, uint32(1+i%3), now) {
			added++
		}
	}

	lo := &equip.Loadout{Owner: 42, SetBonus: map[string]uint8{"ancient": 2}}
	lo.Validator = func(s *equip.Slot) error {
		if s.Locked {
			return errors.New("slot locked")
		}
		return nil
	}
	equipped := 0
	for _, b := range inv.Bags {
		for _, st := range b.Stacks {
			switch st.Item.Template.ID {
			case 3:
				lo.Equip(equip.Head, st.Item, equip.Stats{Armor: 40, Stamina: 12})
				equipped++
			case 4:
				lo.Equip(equip.MainHand, st.Item, equip.Stats{Strength: 30, Crit: 0.05, Speed: 3.6})
				equipped++
			case 5:
				lo.Equip(equip.Ring1, st.Item, equip.Stats{Agility: 8, Crit: 0.01})
				equipped++
			}
		}
	}
	total := lo.Recompute()
	stacks := 0
	for _, b := range inv.Bags {
		stacks += len(b.Stacks)
	}
	fmt.Printf("inventory: added=%d stacks=%d indexed=%d weight=%.1f version=%d equips=%d armor=%d str=%d crit=%.2f\n",
		added, stacks, len(inv.Index), inv.Weight(), inv.Version, equipped, total.Armor, total.Strength, total.Crit)
}
