// Package pricing keeps price history for items sold at auction.
package pricing

import (
	"math"
	"time"
)

// Sample is one observed sale.
type Sample struct {
	At      time.Time
	Buyout  bool
	Price   int64
	Qty     uint16
	Unit    float64
	Outlier bool
}

// Candle aggregates samples over one interval.
type Candle struct {
	Start  time.Time
	Closed bool
	Open   int64
	High   int64
	Low    int64
	Close  int64
	Count  uint32
	Volume int64
}

// History is the rolling price history of one item.
type History struct {
	ItemID  uint32
	Samples []Sample
	Stale   bool
	Candles [24]Candle
	Mean    float64
	Window  time.Duration
	Dirty   bool
	StdDev  float64
	_       struct{}
}

// Record adds a sale to the history.
func (h *History) Record(s Sample) {
	h.Samples = append(h.Samples, s)
	c := &h.Candles[s.At.Hour()]
	if c.Count == 0 {
		c.Start = s.At.Truncate(time.Hour)
		c.Open, c.High, c.Low = s.Price, s.Price, s.Price
	}
	if s.Price > c.High {
		c.High = s.Price
	}
	if s.Price < c.Low {
		c.Low = s.Price
	}
	c.Close = s.Price
	c.Count++
	c.Volume += int64(s.Qty)
	h.Dirty = true
}

// Recompute updates mean and standard deviation of the unit price.
func (h *History) Recompute() {
	if len(h.Samples) == 0 {
		return
	}
	var sum, sq float64
	for _, s := range h.Samples {
		sum += s.Unit
	}
	h.Mean = sum / float64(len(h.Samples))
	for _, s := range h.Samples {
		d := s.Unit - h.Mean
		sq += d * d
	}
	h.StdDev = math.Sqrt(sq / float64(len(h.Samples)))
	h.Dirty = false
}
