// Command auth replays a burst of logins through the rate limiter and session store.
package main

import (
	"fmt"
	"time"

	"github.com/acme/game/auth/ratelimit"
	"github.com/acme/game/auth/token"
)

func main() {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	store := token.NewStore(clock)
	lim := &ratelimit.Limiter{Buckets: map[string]*ratelimit.Bucket{}, Enabled: true, Rate: 0.5, Burst: 5, BanAfter: 3, BanFor: time.Minute}

	var sessions []*token.Session
	for i := 0; i < 60; i++ {
		now = now.Add(200 * time.Millisecond)
		acct := fmt.Sprintf("user%d", i%8)
		key := acct
		if i%3 == 0 {
			key = "10.0.0.66" // credential stuffer hammering from one IP
		}
		if !lim.Allow(key, now) {
			continue
		}
		a := token.LoginAttempt{Account: acct, At: now, Success: i%5 != 0, Latency: time.Duration(20+i) * time.Millisecond}
		a.IP[15] = byte(i % 8)
		copy(a.Country[:], "DE")
		if !a.Success {
			a.FailCode = 401
		}
		if s := store.Login(a, uint64(i%8)); s != nil {
			s.MFA = i%3 == 0
			s.UserAgent = "acme-client/2.4"
			sessions = append(sessions, s)
		}
	}
	valid := 0
	for _, s := range sessions {
		if store.Validate(s.Access.Hash) {
			valid++
		}
	}
	sessions[0].Access.Revoked = true
	if store.Validate(sessions[0].Access.Hash) {
		valid = -1
	}
	fmt.Printf("auth: attempts=%d sessions=%d tokens=%d valid=%d allowed=%d denied=%d buckets=%d\n",
		len(store.Audit), len(store.Sessions), len(store.ByHash), valid, lim.Allowed, lim.Denied, len(lim.Buckets))
}
