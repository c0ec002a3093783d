/* weapons.c - simulates a few rounds of fire: projectiles, hit-scan traces and wire hits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weapons.h"

static struct ballistics_table g_ballistics;
static struct recoil_pattern g_recoil[2];

static void count_fire(struct weapon_state *w, struct projectile *p)
{
	w->total_shots++;
	if (p)
		p->source = w;
}

static int pool_init(struct projectile_pool *pool, size_t cap)
{
	pool->items = calloc(cap, sizeof(*pool->items));
	pool->free_list = calloc(cap, sizeof(*pool->free_list));
	if (!pool->items || !pool->free_list)
		return -1;
	pool->cap = cap;
	pool->grow = false;
	for (size_t i = 0; i < cap; i++)
		pool->free_list[i] = (int)(cap - 1 - i);
	pool->free_head = (int)cap;
	return 0;
}

static struct projectile *pool_get(struct projectile_pool *pool)
{
	if (pool->free_head == 0)
		return NULL;
	struct projectile *p = &pool->items[pool->free_list[--pool->free_head]];
	memset(p, 0, sizeof(*p));
	p->id = (unsigned long)++pool->spawned;
	p->active = true;
	pool->count++;
	return p;
}

static void pool_put(struct projectile_pool *pool, struct projectile *p)
{
	p->active = false;
	pool->free_list[pool->free_head++] = (int)(p - pool->items);
	pool->count--;
	pool->generation++;
}

static float drag_at(const struct ballistics_table *bt, int kind, float dist)
{
	int idx = (int)(dist / 25.0f);
	if (idx > 7)
		idx = 7;
	return bt->table[kind & 3][idx] * (float)bt->drag;
}

static void encode_hit(const struct hitscan_record *r, uint64_t shooter, struct wire_hit *out)
{
	out->tick = (uint32_t)r->tick;
	out->type = (uint8_t)r->result;
	out->target = r->target_id;
	out->damage = (float)r->damage;
	out->flags = r->result == HR_ARMOR ? (uint16_t)r->armor.absorbed : 0;
	out->bodypart = (uint8_t)r->bodypart;
	out->shooter = shooter;
}

int main(void)
{
	struct weapon_state arsenal[3] = {
		{ .id = 1, .kind = WK_RIFLE, .name = "AR-7", .ammo = 30, .mag_size = 30, .spread = 0.8f, .mode = FM_AUTO,
		  .flags = { .automatic = 1, .tier = 3, .attachments = 2, .skin_id = 412 }, .cooldown = 0.09 },
		{ .id = 2, .kind = WK_SNIPER, .name = "Longbow", .ammo = 5, .mag_size = 5, .spread = 0.05f, .mode = FM_SEMI,
		  .flags = { .scoped = 1, .tier = 5 }, .cooldown = 1.2 },
		{ .id = 3, .kind = WK_ROCKET, .name = "Thumper", .ammo = 4, .mag_size = 4, .spread = 1.5f, .mode = FM_SEMI,
		  .flags = { .tier = 2 }, .cooldown = 0.8 },
	};
	struct projectile_pool pool = { 0 };
	struct hitscan_record traces[64];
	struct wire_hit wire[64];
	int ntraces = 0, rockets = 0, expired = 0;

	g_ballistics.entries = 32;
	g_ballistics.drag = 0.98;
	g_ballistics.gravity = 9.81;
	g_ballistics.interpolate = true;
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 8; i++)
			g_ballistics.table[k][i] = 1.0f - 0.02f * (float)(i * (k + 1));
	for (int r = 0; r < 2; r++) {
		snprintf(g_recoil[r].name, sizeof(g_recoil[r].name), "pattern-%d", r);
		g_recoil[r].steps = 30;
		g_recoil[r].recover_rate = 4.5;
		for (int s = 0; s < 30; s++) {
			g_recoil[r].offsets[s][0] = (float)((s % 7) - 3) * 0.05f;
			g_recoil[r].offsets[s][1] = 0.1f * (float)s;
		}
	}
	if (pool_init(&pool, 32) != 0)
		return 1;

	for (int w = 0; w < 3; w++)
		arsenal[w].on_fire = count_fire;

	for (long long tick = 0; tick < 40; tick++) {
		struct weapon_state *w = &arsenal[tick % 3];
		if (w->ammo == 0) {
			w->ammo = w->mag_size;
			continue;
		}
		w->ammo--;
		w->last_fire = (double)tick / 60.0;
		w->heat += 0.05f;
		if (w->kind == WK_ROCKET) {
			struct projectile *p = pool_get(&pool);
			if (!p)
				continue;
			p->pos = (struct vec3){ 0, 1.6f, 0 };
			p->vel = (struct vec3){ 0, 0, 40.0f };
			p->spawn_time = w->last_fire;
			p->kind = 'r';
			p->damage = 120.0f;
			p->explosive = true;
			p->ttl = 3.0;
			w->on_fire(w, p);
			rockets++;
			continue;
		}
		w->on_fire(w, NULL);
		struct hitscan_record *r = &traces[ntraces];
		memset(r, 0, sizeof(*r));
		r->tick = tick;
		r->origin = (struct vec3){ 0, 1.6f, 0 };
		r->dir = (struct vec3){ 0.01f * (float)(tick % 5), 0, 1 };
		r->distance = 10.0f + (float)(tick * 3 % 90);
		r->hit = tick % 4 != 0;
		r->target_id = r->hit ? 700 + (int)(tick % 3) : -1;
		r->bodypart = (char)(tick % 6 == 0 ? 'h' : 'b');
		r->damage = r->hit ? 28.0 * drag_at(&g_ballistics, (int)w->kind, r->distance) : 0.0;
		if (!r->hit) {
			r->result = HR_MISS;
			r->env.falloff = 1.0f;
		} else if (tick % 5 == 0) {
			r->result = HR_ARMOR;
			r->armor.absorbed = 9;
			r->armor.penetrated = w->kind == WK_SNIPER;
		} else {
			r->result = r->bodypart == 'h' ? HR_HEAD : HR_BODY;
		}
		encode_hit(r, 90000u + (uint64_t)w->id, &wire[ntraces]);
		ntraces++;
	}

	for (size_t i = 0; i < pool.cap; i++) {
		struct projectile *p = &pool.items[i];
		if (p->active && p->spawn_time + p->ttl < 4.0) {
			pool_put(&pool, p);
			expired++;
		}
	}

	double dmg = 0;
	int hits = 0;
	for (int i = 0; i < ntraces; i++) {
		dmg += wire[i].damage;
		hits += wire[i].type != HR_MISS;
	}
	printf("weapons: shots=%ld/%ld/%ld traces=%d hits=%d damage=%.1f rockets=%d expired=%d live=%d wire=%zuB recoil=%s\n",
	       arsenal[0].total_shots, arsenal[1].total_shots, arsenal[2].total_shots, ntraces, hits, dmg, rockets,
	       expired, pool.count, sizeof(struct wire_hit), g_recoil[1].name);
	free(pool.items);
	free(pool.free_list);
	return 0;
}
