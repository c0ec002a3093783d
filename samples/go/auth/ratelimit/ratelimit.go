// Package ratelimit implements token-bucket rate limiting per key.
package ratelimit

import (
	"sync"
	"time"
)

// Bucket is a token bucket for one key.
type Bucket struct {
	Tokens   float64
	Blocked  bool
	Capacity int32
	Last     time.Time
	Rate     float32
	Strikes  uint8
	BanUntil time.Time
}

// Limiter holds buckets per client key.
type Limiter struct {
	mu       sync.Mutex
	Buckets  map[string]*Bucket
	Enabled  bool
	Rate     float32
	Burst    int32
	Denied   uint64
	Allowed  uint64
	BanAfter uint8
	BanFor   time.Duration
}

// Allow consumes one token for key at now.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.Enabled {
		return true
	}
	b, ok := l.Buckets[key]
	if !ok {
		b = &Bucket{Tokens: float64(l.Burst), Capacity: l.Burst, Last: now, Rate: l.Rate}
		l.Buckets[key] = b
	}
	if now.Before(b.BanUntil) {
		l.Denied++
		return false
	}
	b.Tokens += now.Sub(b.Last).Seconds() * float64(b.Rate)
	if b.Tokens > float64(b.Capacity) {
		b.Tokens = float64(b.Capacity)
	}
	b.Last = now
	if b.Tokens < 1 {
		b.Blocked = true
		b.Strikes++
		if b.Strikes >= l.BanAfter {
			b.BanUntil = now.Add(l.BanFor)
		}
		l.Denied++
		return false
	}
	b.Tokens--
	b.Blocked = false
	l.Allowed++
	return true
}
