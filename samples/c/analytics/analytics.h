/* analytics.h - player analytics events, counters, histograms and ring buffers. */
#ifndef ACME_ANALYTICS_H
#define ACME_ANALYTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum event_type { EV_LOGIN, EV_LEVEL_UP, EV_PURCHASE, EV_MATCH_END, EV_CRASH };
enum platform { PLAT_PC, PLAT_CONSOLE, PLAT_MOBILE };

struct event_header {
	uint64_t player_id;
	enum event_type type;
	bool sampled;
	long long ts_ms;
	unsigned short schema;
	char region[3];
};

/* One analytics event; the payload depends on the header type. */
struct analytics_event {
	struct event_header hdr;
	float client_fps;
	union {
		struct {
			int level;
			long xp;
			bool prestige;
		} level_up;
		struct {
			double amount;
			char currency[4];
			int sku;
		} purchase;
		struct {
			int match_id;
			bool won;
			short kills;
			double duration_s;
		} match;
		char crash_sig[20];
	} u;
	enum platform platform;
};

struct counter {
	const char *name;
	bool monotonic;
	long long value;
	int shard;
	double rate;
	unsigned char unit;
};

/* Per-thread counter, one per cache line to avoid false sharing. */
struct percpu_counter {
	_Alignas(64) unsigned long long count;
	unsigned int cpu;
	bool dirty;
	long long last_flush_ms;
};

struct histogram_bucket {
	double upper_bound;
	bool overflow;
	unsigned long count;
	float weight;
};

struct histogram {
	char name[32];
	int nbuckets;
	struct histogram_bucket *buckets;
	bool log_scale;
	double min;
	double max;
	long total;
	short precision;
	double sum;
};

/* Fixed-capacity ring of events; slots are allocated with the header. */
struct event_ring {
	unsigned int head;
	bool wrapped;
	unsigned int tail;
	size_t cap;
	char overflow_policy;
	unsigned long dropped;
	struct analytics_event slots[];
};

struct sink;
typedef int (*flush_fn)(struct sink *s, const struct analytics_event *ev, size_t n);

struct sink {
	const char *name;
	flush_fn flush;
	bool enabled;
	void *ctx;
	int batch;
	long flushed;
	char format;
	int errors;
};

struct session_metrics {
	long session_id;
	char platform;
	int duration_s;
	float fps_avg;
	bool crashed;
	double latency_ms[8];
	unsigned short region;
	long long bytes_rx;
	unsigned char quality;
};

#endif
