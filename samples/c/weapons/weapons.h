/* weapons.h - weapon, projectile and hit-scan state for the weapons service. */
#ifndef ACME_WEAPONS_H
#define ACME_WEAPONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum weapon_kind { WK_PISTOL, WK_RIFLE, WK_SHOTGUN, WK_ROCKET, WK_SNIPER };
enum fire_mode { FM_SEMI, FM_BURST, FM_AUTO };
enum hit_result { HR_MISS, HR_BODY, HR_HEAD, HR_ARMOR, HR_WORLD };

struct vec3 {
	float x, y, z;
};

/* Per-weapon toggles packed into bits. */
struct weapon_flags {
	unsigned int automatic : 1;
	unsigned int silenced : 1;
	unsigned int scoped : 1;
	unsigned int jammed : 1;
	unsigned int overheated : 1;
	unsigned int tier : 3;
	unsigned int : 3; /* reserved */
	unsigned int attachments : 4;
	unsigned int skin_id : 10;
};

struct projectile;

struct weapon_state {
	int id;
	enum weapon_kind kind;
	char name[24];
	bool equipped;
	double last_fire;
	short ammo;
	short mag_size;
	float spread;
	struct weapon_flags flags;
	long total_shots;
	enum fire_mode mode;
	float heat;
	void (*on_fire)(struct weapon_state *w, struct projectile *p);
	unsigned char owner_slot;
	double cooldown;
};

struct projectile {
	unsigned long id;
	bool active;
	struct vec3 pos;
	struct vec3 vel;
	double spawn_time;
	char kind;
	float damage;
	struct weapon_state *source;
	short bounces;
	double ttl;
	bool explosive;
};

/* One resolved hit-scan trace. */
struct hitscan_record {
	long long tick;
	bool hit;
	struct vec3 origin;
	struct vec3 dir;
	float distance;
	int target_id;
	char bodypart;
	double damage;
	union {
		struct {
			short absorbed;
			bool penetrated;
		} armor;
		struct {
			float falloff;
			unsigned char ricochets;
		} env;
	};
	enum hit_result result;
};

/* Hit report as sent to clients: fixed wire layout. */
struct __attribute__((packed)) wire_hit {
	uint32_t tick;
	uint8_t type;
	int32_t target;
	float damage;
	uint16_t flags;
	uint8_t bodypart;
	uint64_t shooter;
};

struct recoil_pattern {
	char name[16];
	short steps;
	float offsets[30][2];
	bool loops;
	double recover_rate;
	unsigned char seed;
};

struct projectile_pool {
	int count;
	struct projectile *items;
	bool grow;
	size_t cap;
	int free_head;
	int *free_list;
	unsigned short generation;
	long spawned;
};

struct ballistics_table {
	short entries;
	double drag;
	int flags;
	float table[4][8];
	bool interpolate;
	double gravity;
};

#endif
