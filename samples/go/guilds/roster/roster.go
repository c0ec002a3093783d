// Package roster manages guilds, ranks and memberships.
package roster

import (
	"sync"
	"sync/atomic"
	"time"
)

// Permission bits granted by a rank.
type Permission uint32

const (
	Invite Permission = 1 << iota
	Kick
	Promote
	EditMOTD
	BankWithdraw
)

// Rank is a named permission level in a guild.
type Rank struct {
	Level       uint8
	Name        string
	Perms       Permission
	CanWithdraw bool
	DailyLimit  int64
	Officer     bool
}

// Member is one player's membership in a guild.
type Member struct {
	PlayerID  uint64
	Online    bool
	Rank      *Rank
	Joined    time.Time
	Note      string
	Level     uint8
	LastLogin time.Time
	Contrib   int64
	Alt       bool
	Class     int8
}

// Bank is the shared guild vault.
type Bank struct {
	Gold      int64
	Locked    bool
	Tabs      [6][98]uint64
	Withdrawn map[uint64]int64
}

// Guild is the top-level guild record.
type Guild struct {
	ID       uint64
	Name     string
	Tag      [4]byte
	Founded  time.Time
	Recruit  bool
	Members  []*Member
	Ranks    []Rank
	MOTD     string
	mu       sync.RWMutex
	Level    uint8
	XP       atomic.Int64
	Faction  int8
	Bank     *Bank
	ByPlayer map[uint64]*Member
}

// New creates a guild with default ranks.
func New(id uint64, name string, now time.Time) *Guild {
	g := &Guild{ID: id, Name: name, Founded: now, ByPlayer: make(map[uint64]*Member), Bank: &Bank{Withdrawn: map[uint64]int64{}}}
	copy(g.Tag[:], name)
	g.Ranks = []Rank{
		{Level: 0, Name: "Guild Master", Perms: Invite | Kick | Promote | EditMOTD | BankWithdraw, CanWithdraw: true, DailyLimit: -1, Officer: true},
		{Level: 1, Name: "Officer", Perms: Invite | Kick | EditMOTD | BankWithdraw, CanWithdraw: true, DailyLimit: 10000, Officer: true},
		{Level: 2, Name: "Member", Perms: Invite},
		{Level: 3, Name: "Initiate"},
	}
	return g
}

// Join adds a player at the lowest rank.
func (g *Guild) Join(player uint64, level uint8, now time.Time) *Member {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := &Member{PlayerID: player, Rank: &g.Ranks[len(g.Ranks)-1], Joined: now, Level: level, LastLogin: now}
	g.Members = append(g.Members, m)
	g.ByPlayer[player] = m
	g.XP.Add(10)
	return m
}

// Promote moves a member up one rank.
func (g *Guild) Promote(player uint64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, ok := g.ByPlayer[player]
	if !ok || m.Rank.Level <= 1 {
		return false
	}
	m.Rank = &g.Ranks[m.Rank.Level-1]
	return true
}

// Online counts online members.
func (g *Guild) Online() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	n := 0
	for _, m := range g.Members {
		if m.Online {
			n++
		}
	}
	return n
}
