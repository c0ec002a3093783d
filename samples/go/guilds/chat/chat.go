// Package chat carries guild chat messages.
package chat

import (
	"time"
)

// Channel a message is posted to.
type Channel uint8

const (
	GuildChannel Channel = iota
	OfficerChannel
	Announce
)

// Message is one chat line.
type Message struct {
	ID       uint64
	Channel  Channel
	Sender   uint64
	System   bool
	Sent     time.Time
	Body     string
	Edited   bool
	Mentions []uint64
	Flags    uint16
}

// Filter rejects or rewrites messages.
type Filter interface {
	Allow(m *Message) bool
}

// Room is a guild's chat channel fan-out.
type Room struct {
	GuildID  uint64
	Muted    bool
	History  []Message
	MaxLen   int32
	Inbox    chan Message
	Filters  []Filter
	SlowMode time.Duration
	Archived bool
	LastPost map[uint64]time.Time
}

// Pump drains the inbox into history, applying filters and slow mode.
func (r *Room) Pump() (accepted, rejected int) {
	for {
		select {
		case m := <-r.Inbox:
			ok := !r.Muted
			for _, f := range r.Filters {
				if !f.Allow(&m) {
					ok = false
				}
			}
			if last, seen := r.LastPost[m.Sender]; seen && m.Sent.Sub(last) < r.SlowMode && !m.System {
				ok = false
			}
			if !ok {
				rejected++
				continue
			}
			r.LastPost[m.Sender] = m.Sent
			r.History = append(r.History, m)
			if int32(len(r.History)) > r.MaxLen {
				r.History = r.History[1:]
			}
			accepted++
		default:
			return
		}
	}
}
