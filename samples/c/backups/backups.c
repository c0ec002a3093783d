/* backups.c - plans a night of backup jobs across pools and writes chunk manifests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backups.h"

static long g_done_bytes;

static void job_done(struct backup_job *job, int rc)
{
	job->state = rc == 0 ? JOB_DONE : JOB_FAILED;
	if (rc == 0)
		g_done_bytes += job->bytes_total;
}

static int validate_cfg(const struct server_config *cfg)
{
	if (cfg->workers <= 0 || cfg->npools <= 0)
		return -1;
	for (int i = 0; i < cfg->npools; i++)
		if (cfg->pools[i].quota_bytes <= 0)
			return -1;
	return 0;
}

static struct chunk_manifest *manifest_build(unsigned long job_id, size_t nchunks, unsigned int chunk_len)
{
	struct chunk_manifest *m = malloc(sizeof(*m) + nchunks * sizeof(m->chunks[0]));
	if (!m)
		return NULL;
	m->job_id = job_id;
	m->version = 2;
	m->nchunks = nchunks;
	m->sealed = false;
	for (size_t i = 0; i < nchunks; i++) {
		struct chunk_ref *c = &m->chunks[i];
		for (int b = 0; b < 32; b++)
			c->hash[b] = (unsigned char)((job_id * 31 + i * 7 + (size_t)b) & 0xff);
		c->compressed = i % 3 != 0;
		c->offset = i * chunk_len;
		c->length = chunk_len;
		c->tier = i % 10 == 0 ? 'c' : 'h';
		c->refcount = 1 + (unsigned int)(i % 4);
	}
	m->sealed = true;
	return m;
}

static int queue_push(struct job_queue *q, struct backup_job *job)
{
	if (q->len == q->cap) {
		int ncap = q->cap ? q->cap * 2 : 4;
		struct backup_job **nj = realloc(q->jobs, (size_t)ncap * sizeof(*nj));
		if (!nj)
			return -1;
		q->jobs = nj;
		q->cap = ncap;
	}
	q->jobs[q->len++] = job;
	q->enqueued++;
	return 0;
}

int main(void)
{
	struct pool_config pools[2] = {
		{ .name = "hot-ssd", .dedup = true, .quota_bytes = 4LL << 40, .comp = COMP_LZ4, .level = 1,
		  .remote = { .host = "10.1.0.20", .port = 9400, .tls = true, .timeout_ms = 3000 }, .fill_warn = 0.85,
		  .retention = { .keep_daily = 7, .keep_weekly = 4, .keep_monthly = 6, .min_age_s = 86400 } },
		{ .name = "cold-s3", .dedup = true, .quota_bytes = 200LL << 40, .comp = COMP_ZSTD, .level = 19,
		  .remote = { .host = "s3.eu-west.example", .port = 443, .tls = true, .timeout_ms = 15000 }, .fill_warn = 0.95,
		  .retention = { .keep_forever = true, .min_age_s = 30 * 86400 }, .read_only = false },
	};
	struct server_config cfg = { .hostname = "backup-01.acme.internal", .port = 7070, .max_conn = 256, .workers = 8,
				     .pools = pools, .npools = 2, .io_weight = 0.5f, .uid = 998, .gid = 998, .log_level = 'i',
				     .net = { .bytes_per_sec = 200L << 20, .mode = 's', .burst = 1.5, .enabled = true,
					      .window_ms = 1000 },
				     .validate = validate_cfg, .daemonize = true };
	if (cfg.validate(&cfg) != 0) {
		fprintf(stderr, "backups: invalid config\n");
		return 1;
	}

	const char *names[] = { "players-db", "guilds-db", "auction-ledger", "chat-archive", "telemetry", "configs" };
	enum { NJOBS = sizeof(names) / sizeof(names[0]) };
	struct backup_job jobs[NJOBS];
	struct job_queue q = { .max_parallel = 3 };
	size_t chunks = 0, compressed = 0;

	for (int i = 0; i < NJOBS; i++) {
		struct backup_job *j = &jobs[i];
		memset(j, 0, sizeof(*j));
		j->id = 100 + (unsigned long)i;
		snprintf(j->name, sizeof(j->name), "%s", names[i]);
		j->incremental = i % 2 == 0;
		j->priority = NJOBS - i;
		j->started = (time_t)1700000000 + i * 600;
		j->encrypted = pools[i % 2].remote.tls;
		j->pool = (char)(i % 2);
		j->on_done = job_done;
		j->manifest = manifest_build(j->id, 16 + (size_t)i * 8, 4u << 20);
		if (!j->manifest || queue_push(&q, j) != 0)
			return 1;
		j->bytes_total = (long long)j->manifest->nchunks * (4LL << 20);
	}

	int failed = 0;
	for (int k = 0; k < q.len; k++) {
		struct backup_job *j = q.jobs[k];
		j->state = JOB_RUNNING;
		for (size_t c = 0; c < j->manifest->nchunks; c++) {
			compressed += j->manifest->chunks[c].compressed;
			chunks++;
		}
		j->progress = 1.0;
		int rc = (j->id == 103 && j->retries == 0) ? 1 : 0;
		j->on_done(j, rc);
		if (j->state == JOB_FAILED) {
			failed++;
			j->retries++;
		} else {
			q.completed++;
		}
	}

	printf("backups: host=%s pools=%d jobs=%ld done=%ld failed=%d chunks=%zu compressed=%zu bytes=%ldMiB throttle=%ldMiB/s\n",
	       cfg.hostname, cfg.npools, q.enqueued, q.completed, failed, chunks, compressed, g_done_bytes >> 20,
	       cfg.net.bytes_per_sec >> 20);
	for (int i = 0; i < NJOBS; i++)
		free(jobs[i].manifest);
	free(q.jobs);
	return 0;
}
