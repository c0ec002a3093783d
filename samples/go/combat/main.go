// Command combat simulates a short PvP encounter.
package main

import (
	"fmt"
	"time"

	"github.com/acme/game/combat/session"
	"github.com/acme/game/combat/state"
)

// damageLog is an observer that keeps the last events.
type damageLog struct {
	total   int64
	fatal   bool
	entries []state.DamageEvent
	limit   int32
}

func (l *damageLog) OnDamage(ev *state.DamageEvent) {
	l.total += ev.Amount
	if ev.Fatal {
		l.fatal = true
	}
	if int32(len(l.entries)) < l.limit {
		l.entries = append(l.entries, *ev)
	}
}

func main() {
	now := time.Unix(1700000000, 0)
	players := make([]*state.Player, 0, 4)
	for i := 0; i < 4; i++ {
		players = append(players, &state.Player{
			ID: uint64(100 + i), Alive: true, Health: 500, MaxHealth: 500, Level: uint8(10 + i),
			Name: fmt.Sprintf("hero%d", i), Team: int8(i % 2), Armor: int32(20 * i), CritRate: 0.1,
			Pos: state.Position{Zone: 7, Pos: state.Vec3{X: float32(i), Y: 1, Z: 0}, Updated: now, Moving: i%2 == 0},
		})
	}
	players[0].Target = players[1]

	s := &session.Session{ID: 9001, Phase: session.Active, Started: now, PvP: true, Arena: 3,
		Timeout: 5 * time.Minute, Hits: state.NewHitQueue(64)}
	log := &damageLog{limit: 16}
	s.Observers = append(s.Observers, log)
	ended := false
	s.OnEnd = func(*session.Session) { ended = true }
	for _, p := range players {
		s.Participants = append(s.Participants, session.Participant{Player: p, Joined: true, LastSeen: now})
	}
	for i := 0; i < 40; i++ {
		a, v := players[i%4], players[(i+1)%4]
		s.Hits.Push(state.Hit{Attacker: a.ID, Victim: v.ID, Kind: state.DamageKind(i % 4),
			Amount: int64(30 + i), Crit: i%7 == 0, At: now.Add(time.Duration(i) * time.Second),
			SkillID: uint32(i), Where: v.Pos.Pos})
	}
	applied := s.Resolve()
	s.Phase = session.Ended
	s.OnEnd(s)

	alive := 0
	for _, p := range players {
		if p.Alive {
			alive++
		}
	}
	fmt.Printf("combat: session=%d hits=%d events=%d logged=%d damage=%d alive=%d/%d dropped=%d ended=%v\n",
		s.ID, applied, s.EventCount.Load(), len(log.entries), log.total, alive, len(players), s.Hits.Dropped(), ended)
}
