/*
 * A replay filter for 32-byte keys, each remembered for a window
 * (common/replay.c).
 */
#ifndef I2PRD_REPLAY_H
#define I2PRD_REPLAY_H

#include <stdint.h>

/* a key's keyed SipHash stands for it: 16 bytes an entry, not 48 */
struct replay_ent {
	uint64_t	 fp;		/* SipHash-2-4 of the key */
	uint32_t	 t;		/* when added, seconds mod 2^32 */
	uint32_t	 next;		/* bucket chain */
};
struct replay {
	struct replay_ent *ring;	/* arrival order, oldest at head */
	uint32_t	*buckets;	/* as many as ring entries */
	uint32_t	 cap;		/* the most keys ever held */
	uint32_t	 size;		/* ring entries now: grows to cap */
	uint32_t	 head, count;
	int64_t		 window;
	uint8_t		 sipkey[16];	/* no chosen collisions */
};
int	 replay_init(struct replay *, uint32_t cap, int64_t window);
void	 replay_free(struct replay *);
/* 1 if the key was added less than window seconds before now */
int	 replay_seen(struct replay *, const uint8_t key[32], int64_t now);
/* 0, or -1 if the filter is full of unexpired keys (or memory is short) */
int	 replay_add(struct replay *, const uint8_t key[32], int64_t now);

#endif /* I2PRD_REPLAY_H */
