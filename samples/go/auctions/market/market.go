// Package market implements the auction house order book.
package market

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// Duration classes for listings.
type Term uint8

const (
	Short Term = iota
	Medium
	Long
)

// Listing is an item offered for auction.
type Listing struct {
	ID        uint64
	ItemID    uint32
	Seller    uint64
	Quantity  uint16
	StartBid  int64
	Buyout    int64
	HasBuyout bool
	Posted    time.Time
	Term      Term
	Expires   time.Time
	Deposit   int32
	Cancelled bool
	TopBid    *Bid
	BidCount  uint16
	Faction   int8
}

// Bid is a bid placed on a listing.
type Bid struct {
	ListingID uint64
	Proxy     bool
	Bidder    uint64
	Amount    int64
	Outbid    bool
	Placed    time.Time
	MaxProxy  int64
	Region    uint8
}

// Book is the auction house for one realm.
type Book struct {
	mu       sync.Mutex
	Realm    uint16
	Listings map[uint64]*Listing
	Open     bool
	Bids     []Bid
	CutPct   float32
	Volume   int64
	Settled  chan *Listing
	OnOutbid func(prev *Bid)
	Errors   uint32
}

// ErrTooLow is returned for a bid below the current price.
var ErrTooLow = errors.New("bid too low")

// NewBook opens an auction house.
func NewBook(realm uint16) *Book {
	return &Book{Realm: realm, Listings: make(map[uint64]*Listing), Open: true, CutPct: 0.05, Settled: make(chan *Listing, 128)}
}

// Post adds a listing.
func (b *Book) Post(l *Listing) {
	b.mu.Lock()
	b.Listings[l.ID] = l
	b.mu.Unlock()
}

// PlaceBid records a bid, settling immediately on buyout.
func (b *Book) PlaceBid(bid Bid) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.Listings[bid.ListingID]
	if !ok || l.Cancelled {
		b.Errors++
		return errors.New("no such listing")
	}
	min := l.StartBid
	if l.TopBid != nil {
		min = l.TopBid.Amount + 1
	}
	if bid.Amount < min {
		b.Errors++
		return ErrTooLow
	}
	if l.TopBid != nil {
		l.TopBid.Outbid = true
		if b.OnOutbid != nil {
			b.OnOutbid(l.TopBid)
		}
	}
	b.Bids = append(b.Bids, bid)
	l.TopBid = &b.Bids[len(b.Bids)-1]
	l.BidCount++
	if l.HasBuyout && bid.Amount >= l.Buyout {
		delete(b.Listings, l.ID)
		b.Volume += bid.Amount
		b.Settled <- l
	}
	return nil
}

// Active returns the open listings sorted by id.
func (b *Book) Active() []*Listing {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*Listing, 0, len(b.Listings))
	for _, l := range b.Listings {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
