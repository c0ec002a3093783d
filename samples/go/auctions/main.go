// Command auctions runs a burst of bidding on a small auction house.
package main

import (
	"fmt"
	"time"

	"github.com/acme/game/auctions/market"
	"github.com/acme/game/auctions/pricing"
)

func main() {
	now := time.Unix(1700000000, 0)
	book := market.NewBook(12)
	outbids := 0
	book.OnOutbid = func(prev *market.Bid) { outbids++ }
	for i := 0; i < 30; i++ {
		book.Post(&market.Listing{ID: uint64(i + 1), ItemID: uint32(100 + i%5), Seller: uint64(9000 + i), Quantity: uint16(1 + i%4),
			StartBid: int64(100 + 10*i), Buyout: int64(400 + 10*i), HasBuyout: i%2 == 0, Posted: now, Term: market.Term(i % 3),
			Expires: now.Add(12 * time.Hour), Deposit: int32(5 + i)})
	}
	// Bids are appended into a slice, so pointers can go stale on growth; the
	// real service pre-sizes the slice. Do the same here.
	book.Bids = make([]market.Bid, 0, 256)
	rejected := 0
	for round := 0; round < 6; round++ {
		for id := 1; id <= 30; id++ {
			amt := int64(100+10*(id-1)) + int64(round*70)
			if err := book.PlaceBid(market.Bid{ListingID: uint64(id), Bidder: uint64(round*100 + id), Amount: amt,
				Placed: now.Add(time.Duration(round) * time.Minute), Proxy: round%2 == 1, MaxProxy: amt + 50}); err != nil {
				rejected++
			}
		}
	}
	close(book.Settled)
	hist := map[uint32]*pricing.History{}
	sold := 0
	for l := range book.Settled {
		h := hist[l.ItemID]
		if h == nil {
			h = &pricing.History{ItemID: l.ItemID, Window: 24 * time.Hour}
			hist[l.ItemID] = h
		}
		h.Record(pricing.Sample{At: l.TopBid.Placed, Buyout: true, Price: l.TopBid.Amount, Qty: l.Quantity,
			Unit: float64(l.TopBid.Amount) / float64(l.Quantity)})
		sold++
	}
	var meanSum float64
	for _, h := range hist {
		h.Recompute()
		meanSum += h.Mean
	}
	fmt.Printf("auctions: sold=%d open=%d bids=%d outbid=%d rejected=%d volume=%d items=%d avgunit=%.1f\n",
		sold, len(book.Active()), len(book.Bids), outbids, rejected, book.Volume, len(hist), meanSum/float64(len(hist)))
}
