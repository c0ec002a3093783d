/* backups.h - backup jobs, chunk manifests, storage pools and server config. */
#ifndef ACME_BACKUPS_H
#define ACME_BACKUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED };
enum compression { COMP_NONE, COMP_LZ4, COMP_ZSTD };

struct chunk_ref {
	unsigned char hash[32];
	bool compressed;
	unsigned long offset;
	unsigned int length;
	char tier;
	unsigned int refcount;
};

/* Manifest header followed by its chunk list. */
struct chunk_manifest {
	unsigned long job_id;
	int version;
	size_t nchunks;
	bool sealed;
	struct chunk_ref chunks[];
};

struct backup_job {
	unsigned long id;
	enum job_state state;
	char name[32];
	bool incremental;
	long long bytes_total;
	int priority;
	time_t started;
	bool encrypted;
	struct chunk_manifest *manifest;
	short retries;
	double progress;
	void (*on_done)(struct backup_job *job, int rc);
	char pool;
};

struct retention_policy {
	int keep_daily;
	bool keep_forever;
	int keep_weekly;
	short keep_monthly;
	long min_age_s;
};

struct pool_config {
	char name[24];
	bool dedup;
	long long quota_bytes;
	enum compression comp;
	int level;
	struct {
		char host[64];
		unsigned short port;
		bool tls;
		int timeout_ms;
	} remote;
	double fill_warn;
	struct retention_policy retention;
	bool read_only;
};

struct throttle {
	long bytes_per_sec;
	char mode;
	double burst;
	bool enabled;
	int window_ms;
};

struct server_config {
	char hostname[64];
	unsigned short port;
	long max_conn;
	bool verbose;
	int workers;
	struct pool_config *pools;
	int npools;
	float io_weight;
	struct {
		int uid;
		int gid;
	};
	char log_level;
	struct throttle net;
	int (*validate)(const struct server_config *cfg);
	bool daemonize;
};

struct job_queue {
	struct backup_job **jobs;
	int len;
	int cap;
	bool paused;
	long enqueued;
	unsigned char max_parallel;
	long completed;
};

#endif
