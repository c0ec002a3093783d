/* analytics.c - ingests a synthetic event stream into counters, histograms and a ring buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics.h"

#define NTHREADS 4

static struct percpu_counter g_percpu[NTHREADS];

static struct event_ring *ring_new(size_t cap)
{
	struct event_ring *r = calloc(1, sizeof(*r) + cap * sizeof(r->slots[0]));
	if (r) {
		r->cap = cap;
		r->overflow_policy = 'o';
	}
	return r;
}

static void ring_push(struct event_ring *r, const struct analytics_event *ev)
{
	r->slots[r->head] = *ev;
	r->head = (unsigned int)((r->head + 1) % r->cap);
	if (r->head == r->tail) {
		r->wrapped = true;
		r->dropped++;
		r->tail = (unsigned int)((r->tail + 1) % r->cap);
	}
}

static size_t ring_len(const struct event_ring *r)
{
	return (r->head + r->cap - r->tail) % r->cap;
}

static void hist_observe(struct histogram *h, double v)
{
	int i;
	for (i = 0; i < h->nbuckets - 1; i++)
		if (v <= h->buckets[i].upper_bound)
			break;
	h->buckets[i].count++;
	h->total++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

static int stdout_flush(struct sink *s, const struct analytics_event *ev, size_t n)
{
	long *bytes = s->ctx;
	for (size_t i = 0; i < n; i++)
		*bytes += (long)sizeof(ev[i]);
	s->flushed += (long)n;
	return 0;
}

int main(void)
{
	struct counter counters[] = {
		{ .name = "logins", .monotonic = true, .unit = 'n' },
		{ .name = "purchases", .monotonic = true, .unit = 'n' },
		{ .name = "revenue_cents", .monotonic = true, .unit = 'c' },
		{ .name = "crashes", .monotonic = true, .unit = 'n' },
	};
	struct histogram_bucket buckets[6];
	struct histogram match_len = { .name = "match_duration_s", .nbuckets = 6, .buckets = buckets, .min = 1e9,
				       .precision = 2 };
	struct session_metrics sessions[8];
	long sink_bytes = 0;
	struct sink out = { .name = "stdout", .flush = stdout_flush, .enabled = true, .ctx = &sink_bytes, .batch = 16,
			    .format = 'j' };
	struct event_ring *ring = ring_new(32);
	if (!ring)
		return 1;

	for (int i = 0; i < 6; i++)
		buckets[i] = (struct histogram_bucket){ .upper_bound = 60.0 * (1 << i), .overflow = i == 5, .weight = 1.0f };
	memset(sessions, 0, sizeof(sessions));

	for (int i = 0; i < 100; i++) {
		struct analytics_event ev;
		memset(&ev, 0, sizeof(ev));
		ev.hdr.player_id = 5000 + (uint64_t)(i % 8);
		ev.hdr.ts_ms = 1700000000000LL + i * 250;
		ev.hdr.schema = 3;
		memcpy(ev.hdr.region, "EU", 3);
		ev.hdr.sampled = i % 10 == 0;
		ev.client_fps = 60.0f - (float)(i % 13);
		ev.platform = (enum platform)(i % 3);
		switch (i % 5) {
		case 0:
			ev.hdr.type = EV_LOGIN;
			counters[0].value++;
			break;
		case 1:
			ev.hdr.type = EV_LEVEL_UP;
			ev.u.level_up.level = 10 + i / 5;
			ev.u.level_up.xp = 1000L * i;
			break;
		case 2:
			ev.hdr.type = EV_PURCHASE;
			ev.u.purchase.amount = 4.99;
			memcpy(ev.u.purchase.currency, "EUR", 4);
			ev.u.purchase.sku = 100 + i;
			counters[1].value++;
			counters[2].value += 499;
			break;
		case 3:
			ev.hdr.type = EV_MATCH_END;
			ev.u.match.match_id = i;
			ev.u.match.won = i % 2;
			ev.u.match.kills = (short)(i % 17);
			ev.u.match.duration_s = 90.0 + 37.0 * (i % 11);
			hist_observe(&match_len, ev.u.match.duration_s);
			break;
		default:
			ev.hdr.type = i % 20 == 4 ? EV_CRASH : EV_LOGIN;
			if (ev.hdr.type == EV_CRASH) {
				snprintf(ev.u.crash_sig, sizeof(ev.u.crash_sig), "SIGSEGV@%06x", i * 4099);
				counters[3].value++;
			}
		}
		struct percpu_counter *pc = &g_percpu[i % NTHREADS];
		pc->cpu = (unsigned int)(i % NTHREADS);
		pc->count++;
		pc->dirty = true;
		pc->last_flush_ms = ev.hdr.ts_ms;

		struct session_metrics *sm = &sessions[i % 8];
		sm->session_id = 880000 + i % 8;
		sm->platform = (char)ev.platform;
		sm->duration_s += 1;
		sm->fps_avg = (sm->fps_avg + ev.client_fps) / 2.0f;
		sm->crashed |= ev.hdr.type == EV_CRASH;
		sm->latency_ms[i % 8] = 20.0 + i % 30;
		sm->bytes_rx += (long long)sizeof(ev);
		sm->quality = 3;

		ring_push(ring, &ev);
		if (ring_len(ring) >= (size_t)out.batch && out.enabled) {
			size_t n = ring_len(ring);
			for (size_t k = 0; k < n; k++)
				if (out.flush(&out, &ring->slots[(ring->tail + k) % ring->cap], 1) != 0)
					out.errors++;
			ring->tail = ring->head;
		}
	}

	for (size_t c = 0; c < sizeof(counters) / sizeof(counters[0]); c++)
		counters[c].rate = (double)counters[c].value / 25.0;
	unsigned long long total = 0;
	for (int t = 0; t < NTHREADS; t++)
		total += g_percpu[t].count;
	int crashed = 0;
	for (int s = 0; s < 8; s++)
		crashed += sessions[s].crashed;

	printf("analytics: events=%llu logins=%lld purchases=%lld revenue=%lld crashes=%lld matches=%ld p_avg=%.0fs "
	       "flushed=%ld bytes=%ld ring=%zu crashed_sessions=%d\n",
	       total, counters[0].value, counters[1].value, counters[2].value, counters[3].value, match_len.total,
	       match_len.sum / (double)match_len.total, out.flushed, sink_bytes, ring_len(ring), crashed);
	free(ring);
	return 0;
}
