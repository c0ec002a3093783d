// Command notifications renders and delivers a batch of push notifications.
package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/acme/game/notifications/push"
	"github.com/acme/game/notifications/templates"
)

type fakeSender struct {
	failEvery int
	calls     int
	bytes     int64
}

func (f *fakeSender) Send(d *push.Device, payload []byte) error {
	f.calls++
	if f.failEvery > 0 && f.calls%f.failEvery == 0 {
		return errors.New("gateway timeout")
	}
	f.bytes += int64(len(payload))
	return nil
}

func main() {
	now := time.Unix(1700000000, 0)
	reg := &templates.Registry{Fallback: "en", ByLocale: map[string]map[uint32]*templates.Template{
		"en": {
			1: {ID: 1, Title: "Outbid", Body: "You were outbid on {item}", Vars: []string{"item"}, Sound: "ding"},
			2: {ID: 2, Title: "Raid", Body: "{guild} raid starts in {min} minutes", Vars: []string{"guild", "min"}, Rich: true},
		},
		"de": {1: {ID: 1, Title: "Überboten", Body: "Du wurdest bei {item} überboten", Vars: []string{"item"}}},
	}}
	devices := make([]*push.Device, 0, 12)
	for i := 0; i < 12; i++ {
		d := &push.Device{Token: fmt.Sprintf("tok-%04x", i*7919), Platform: push.Platform(i % 3), UserID: uint64(300 + i), LastSeen: now}
		if i%4 == 0 {
			copy(d.Locale[:], "de")
		} else {
			copy(d.Locale[:], "en")
		}
		devices = append(devices, d)
	}
	senders := []*fakeSender{{failEvery: 5}, {}, {failEvery: 3}}
	queues := make([]*push.Queue, 3)
	dead := make(chan push.Delivery, 64)
	for p := range queues {
		queues[p] = &push.Queue{Platform: push.Platform(p), MaxBatch: 8, Sender: senders[p], DeadLetter: dead}
	}
	for i, d := range devices {
		n := &push.Notification{ID: uint64(i), UserID: d.UserID, TemplateID: uint32(1 + i%2), Created: now, TTL: time.Hour,
			Vars: map[string]string{"item": "Ashbringer", "guild": "Night Watch", "min": "15"}, Urgent: i%2 == 1}
		loc := strings.TrimRight(string(d.Locale[:]), "\x00")
		body, ok := reg.Render(loc, n.TemplateID, n.Vars)
		if !ok {
			continue
		}
		queues[d.Platform].Enqueue(push.Delivery{Notif: n, Device: d, NotBefore: now, Backoff: time.Second, Payload: []byte(body)})
	}
	for tick := 0; tick < 10; tick++ {
		for _, q := range queues {
			q.Flush(now.Add(time.Duration(tick) * 2 * time.Second))
		}
	}
	var sent, failed int64
	pending := 0
	for _, q := range queues {
		sent += q.Sent.Load()
		failed += q.Failed.Load()
		pending += len(q.Pending)
	}
	fmt.Printf("notifications: devices=%d renders=%d sent=%d failed=%d pending=%d dead=%d\n",
		len(devices), reg.Renders, sent, failed, pending, len(dead))
}
