// Package items defines inventory items and stacks.
package items

import (
	"sync"
	"time"
)

// Rarity of an item.
type Rarity uint8

const (
	Common Rarity = iota
	Rare
	Epic
	Legendary
)

// Template is the static definition of an item kind.
type Template struct {
	ID        uint32
	Name      string
	Stackable bool
	MaxStack  uint16
	Weight    float64
	Rarity    Rarity
	Value     int64
	Tradable  bool
	Icon      string
	Level     uint8
}

// Item is a concrete item instance owned by a player.
type Item struct {
	UID        uint64
	Bound      bool
	Template   *Template
	Durability uint16
	Created    time.Time
	Enchanted  bool
	Sockets    [3]uint32
	Quality    int8
	Attrs      map[string]int32
	Locked     bool
}

// Stack is a slot in a bag holding one or more identical items.
type Stack struct {
	Slot     uint16
	Item     *Item
	Count    uint32
	New      bool
	Acquired time.Time
	Favorite bool
}

// Bag is one container in an inventory.
type Bag struct {
	ID       uint8
	Stacks   []Stack
	Capacity uint16
	Weight   float64
	Sorted   bool
}

// Inventory is all bags of a player.
type Inventory struct {
	mu      sync.Mutex
	Owner   uint64
	Dirty   bool
	Bags    [4]Bag
	Gold    int64
	Version uint32
	Index   map[uint64]*Stack
	_       int32
	Limit   float64
}

// NewInventory creates an inventory with four bags of size n.
func NewInventory(owner uint64, n uint16) *Inventory {
	inv := &Inventory{Owner: owner, Index: make(map[uint64]*Stack), Limit: 250}
	for i := range inv.Bags {
		inv.Bags[i] = Bag{ID: uint8(i), Capacity: n, Stacks: make([]Stack, 0, n)}
	}
	return inv
}

// Add stores count copies of it, merging into an existing stack when possible.
func (inv *Inventory) Add(it *Item, count uint32, now time.Time) bool {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if it.Template.Stackable {
		for b := range inv.Bags {
			for s := range inv.Bags[b].Stacks {
				st := &inv.Bags[b].Stacks[s]
				if st.Item.Template.ID == it.Template.ID && st.Count+count <= uint32(it.Template.MaxStack) {
					st.Count += count
					inv.Bags[b].Weight += float64(count) * it.Template.Weight
					inv.Version++
					return true
				}
			}
		}
	}
	for b := range inv.Bags {
		bag := &inv.Bags[b]
		if len(bag.Stacks) < int(bag.Capacity) {
			bag.Stacks = append(bag.Stacks, Stack{Slot: uint16(len(bag.Stacks)), Item: it, Count: count, New: true, Acquired: now})
			bag.Weight += float64(count) * it.Template.Weight
			inv.Index[it.UID] = &bag.Stacks[len(bag.Stacks)-1]
			inv.Dirty = true
			inv.Version++
			return true
		}
	}
	return false
}

// Weight returns the carried weight.
func (inv *Inventory) Weight() float64 {
	var w float64
	for _, b := range inv.Bags {
		w += b.Weight
	}
	return w
}
