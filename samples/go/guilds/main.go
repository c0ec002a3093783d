// Command guilds builds a guild roster and runs some chat through it.
package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/acme/game/guilds/chat"
	"github.com/acme/game/guilds/roster"
)

type profanity struct {
	words  []string
	strict bool
	hits   int
}

func (p *profanity) Allow(m *chat.Message) bool {
	for _, w := range p.words {
		if strings.Contains(m.Body, w) {
			p.hits++
			return !p.strict
		}
	}
	return true
}

func main() {
	now := time.Unix(1700000000, 0)
	g := roster.New(5, "Night Watch", now)
	for i := 0; i < 25; i++ {
		m := g.Join(uint64(2000+i), uint8(40+i%20), now.Add(-time.Duration(i)*24*time.Hour))
		m.Online = i%3 == 0
		m.Contrib = int64(i * 150)
		m.Class = int8(i % 9)
	}
	promoted := 0
	for i := 0; i < 5; i++ {
		if g.Promote(uint64(2000 + i)) {
			promoted++
		}
	}
	g.Bank.Gold = 125000
	g.Bank.Tabs[0][3] = 77
	g.Bank.Withdrawn[2001] = 500

	room := &chat.Room{GuildID: g.ID, MaxLen: 20, Inbox: make(chan chat.Message, 64), SlowMode: 2 * time.Second,
		LastPost: make(map[uint64]time.Time)}
	filt := &profanity{words: []string{"darn"}, strict: true}
	room.Filters = append(room.Filters, filt)
	for i := 0; i < 40; i++ {
		body := fmt.Sprintf("msg %d", i)
		if i%11 == 0 {
			body += " darn"
		}
		room.Inbox <- chat.Message{ID: uint64(i), Channel: chat.GuildChannel, Sender: uint64(2000 + i%6),
			Sent: now.Add(time.Duration(i) * time.Second), Body: body}
	}
	acc, rej := room.Pump()
	fmt.Printf("guilds: guild=%q members=%d online=%d promoted=%d xp=%d bank=%d chat accepted=%d rejected=%d history=%d filtered=%d\n",
		g.Name, len(g.Members), g.Online(), promoted, g.XP.Load(), g.Bank.Gold, acc, rej, len(room.History), filt.hits)
}
