// Package push models push notifications and their delivery queues.
package push

import (
	"sync"
	"sync/atomic"
	"time"
)

// Platform a device token belongs to.
type Platform uint8

const (
	APNS Platform = iota
	FCM
	WebPush
)

// Priority of a notification.
type Priority int8

// Device is a registered push target.
type Device struct {
	Token    string
	Platform Platform
	UserID   uint64
	Sandbox  bool
	LastSeen time.Time
	Badge    int32
	Locale   [5]byte
}

// Notification is one message to be pushed to a user.
type Notification struct {
	ID         uint64
	Urgent     bool
	UserID     uint64
	Priority   Priority
	TemplateID uint32
	Created    time.Time
	Silent     bool
	TTL        time.Duration
	Vars       map[string]string
	Collapse   string
	Attempts   uint8
}

// Sender delivers a rendered payload to a device.
type Sender interface {
	Send(d *Device, payload []byte) error
}

// Delivery is a queued send attempt.
type Delivery struct {
	Notif     *Notification
	Device    *Device
	Retry     bool
	NotBefore time.Time
	Backoff   time.Duration
	Payload   []byte
	Status    int16
}

// Queue is a per-platform delivery queue.
type Queue struct {
	Platform   Platform
	mu         sync.Mutex
	Pending    []Delivery
	Paused     bool
	Sent       atomic.Int64
	Failed     atomic.Int64
	MaxBatch   int32
	Sender     Sender
	DeadLetter chan Delivery
	Closed     bool
}

// Enqueue adds a delivery.
func (q *Queue) Enqueue(d Delivery) {
	q.mu.Lock()
	q.Pending = append(q.Pending, d)
	q.mu.Unlock()
}

// Flush sends up to MaxBatch deliveries whose NotBefore has passed.
func (q *Queue) Flush(now time.Time) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.Paused || q.Closed {
		return 0
	}
	sent := 0
	keep := q.Pending[:0]
	for _, d := range q.Pending {
		if int32(sent) >= q.MaxBatch || now.Before(d.NotBefore) {
			keep = append(keep, d)
			continue
		}
		if err := q.Sender.Send(d.Device, d.Payload); err != nil {
			d.Notif.Attempts++
			q.Failed.Add(1)
			if d.Notif.Attempts >= 3 {
				d.Status = -1
				q.DeadLetter <- d
				continue
			}
			d.Retry = true
			d.Backoff *= 2
			d.NotBefore = now.Add(d.Backoff)
			keep = append(keep, d)
			continue
		}
		q.Sent.Add(1)
		sent++
	}
	q.Pending = keep
	return sent
}
