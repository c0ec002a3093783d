// Package state holds per-player combat state for the combat service.
package state

import (
	"sync"
	"time"
)

// Vec3 is a world-space vector.
type Vec3 struct {
	X, Y, Z float32
}

// Position is where a player is and how it is moving.
type Position struct {
	Zone     uint16
	Pos      Vec3
	Facing   float32
	Moving   bool
	Updated  time.Time
	Velocity Vec3
	Sprint   bool
}

// Player is the authoritative combat-side view of a connected player.
type Player struct {
	ID        uint64
	Alive     bool
	Health    int64
	Level     uint8
	MaxHealth int64
	Name      string
	Team      int8
	Pos       Position
	InCombat  bool
	LastHit   time.Time
	Stunned   bool
	Armor     int32
	Target    *Player
	CritRate  float32
	mu        sync.Mutex
	Kills     uint16
	Deaths    uint16
	Resist    [4]float32
}

// Lock/Unlock guard mutable fields.
func (p *Player) Lock()   { p.mu.Lock() }
func (p *Player) Unlock() { p.mu.Unlock() }

// DamageKind classifies a hit.
type DamageKind uint8

const (
	Physical DamageKind = iota
	Fire
	Frost
	Poison
)

// Hit is a single landed attack.
type Hit struct {
	Attacker uint64
	Crit     bool
	Victim   uint64
	Kind     DamageKind
	Amount   int64
	Blocked  bool
	At       time.Time
	SkillID  uint32
	Where    Vec3
	Headshot bool
}

// DamageEvent is what gets fanned out to the damage log / observers.
type DamageEvent struct {
	Hit
	Overkill int32
	Source   *Player
	Absorbed int16
	Fatal    bool
	Tags     []string
	Resolved bool
	Meta     map[string]interface{}
}

// HitQueue is a bounded FIFO of pending hits.
type HitQueue struct {
	mu      sync.Mutex
	closed  bool
	items   []Hit
	head    int
	dropped uint32
	tail    int
	notify  chan struct{}
}

// NewHitQueue makes a queue with room for n hits.
func NewHitQueue(n int) *HitQueue {
	return &HitQueue{items: make([]Hit, 0, n), notify: make(chan struct{}, 1)}
}

// Push appends a hit, dropping it if the queue is full.
func (q *HitQueue) Push(h Hit) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.items) == cap(q.items) {
		q.dropped++
		return false
	}
	q.items = append(q.items, h)
	q.tail++
	select {
	case q.notify <- struct{}{}:
	default:
	}
	return true
}

// Drain removes and returns all queued hits.
func (q *HitQueue) Drain() []Hit {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Hit, len(q.items))
	copy(out, q.items)
	q.head += len(q.items)
	q.items = q.items[:0]
	return out
}

// Dropped reports how many pushes were rejected.
func (q *HitQueue) Dropped() uint32 { return q.dropped }
