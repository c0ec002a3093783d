// Package token implements login sessions and access tokens.
package token

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Scope bits on a token.
type Scope uint16

const (
	ScopeGame Scope = 1 << iota
	ScopeChat
	ScopeStore
	ScopeAdmin
)

// Token is an issued bearer token.
type Token struct {
	Hash      [32]byte
	Refresh   bool
	Issued    time.Time
	Scopes    Scope
	Expires   time.Time
	Revoked   bool
	AccountID uint64
	ClientID  uint32
}

// Session is an authenticated login session.
type Session struct {
	ID        string
	MFA       bool
	AccountID uint64
	Region    uint8
	Created   time.Time
	Remember  bool
	IdleFor   time.Duration
	IP        [16]byte
	Access    *Token
	Refresh   *Token
	UserAgent string
	Version   uint16
}

// LoginAttempt records one login try for auditing and lockouts.
type LoginAttempt struct {
	Account  string
	Success  bool
	At       time.Time
	FailCode int16
	IP       [16]byte
	Captcha  bool
	Latency  time.Duration
	Country  [2]byte
}

// Store holds live sessions.
type Store struct {
	mu       sync.RWMutex
	Sessions map[string]*Session
	ByHash   map[[32]byte]*Token
	Issued   uint64
	Sealed   bool
	MaxIdle  time.Duration
	Audit    []LoginAttempt
	Clock    func() time.Time
}

// NewStore creates an empty store.
func NewStore(clock func() time.Time) *Store {
	return &Store{Sessions: map[string]*Session{}, ByHash: map[[32]byte]*Token{}, MaxIdle: 30 * time.Minute, Clock: clock}
}

func (s *Store) mint(account uint64, refresh bool, scopes Scope, ttl time.Duration) *Token {
	now := s.Clock()
	s.Issued++
	h := sha256.Sum256([]byte{byte(account), byte(account >> 8), byte(s.Issued), byte(s.Issued >> 8)})
	t := &Token{Hash: h, Refresh: refresh, Issued: now, Scopes: scopes, Expires: now.Add(ttl), AccountID: account, ClientID: 1}
	s.ByHash[h] = t
	return t
}

// Login records an attempt and, on success, opens a session.
func (s *Store) Login(a LoginAttempt, account uint64) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Audit = append(s.Audit, a)
	if !a.Success {
		return nil
	}
	acc := s.mint(account, false, ScopeGame|ScopeChat, 15*time.Minute)
	ref := s.mint(account, true, ScopeGame, 30*24*time.Hour)
	sess := &Session{ID: hex.EncodeToString(acc.Hash[:8]), AccountID: account, Created: s.Clock(), IP: a.IP, Access: acc, Refresh: ref}
	s.Sessions[sess.ID] = sess
	return sess
}

// Validate checks a presented token hash.
func (s *Store) Validate(h [32]byte) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.ByHash[h]
	return ok && !t.Revoked && s.Clock().Before(t.Expires)
}
