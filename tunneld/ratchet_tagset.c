/*
 * Tag sets (ecies.rst 4a "DH INITIALIZATION KDF", 4b, 4c).
 *
 * DH_INITIALIZE(rootKey, k):
 *   keydata = HKDF(rootKey, k, "KDFDHRatchetStep", 64)
 *   nextRootKey = keydata[0:32], ck = keydata[32:64]
 *   sessTag_ck || symmKey_ck = HKDF(ck, ZEROLEN, "TagAndKeyGenKeys", 64)
 *   sessTag_ck || SESSTAG_CONSTANT =
 *       HKDF(sessTag_ck, ZEROLEN, "STInitialization", 64)
 * Tag n:  sessTag_ck || tag = HKDF(sessTag_ck, SESSTAG_CONSTANT,
 *       "SessionTagKeyGen", 64), the tag being the first 8 bytes of the
 *       second half
 * Key n:  symmKey_ck || key = HKDF(symmKey_ck, ZEROLEN,
 *       "SymmetricRatchet", 64)
 * HKDF(salt, ikm, info) throughout; tag and key n come out together, so
 * both chains always stand at the same index (as i2pd's do).
 */
#include <stdlib.h>
#include <string.h>

#include "ratchet.h"

int
rt_kdf(uint8_t *out, size_t outlen, const uint8_t salt[32], const void *ikm,
    size_t ikmlen, const char *info)
{
	return hkdf_sha256(out, outlen, salt, 32, ikm, ikmlen, info,
	    strlen(info));
}

int
rt_dh_initialize(struct rt_tagset *ts, const uint8_t root[32],
    const uint8_t k[32], uint16_t id)
{
	uint8_t	 kd[64];
	int	 rv = -1;

	memset(ts, 0, sizeof(*ts));
	ts->id = id;
	if (rt_kdf(kd, 64, root, k, 32, "KDFDHRatchetStep") == -1)
		goto out;
	memcpy(ts->next_root, kd, 32);
	if (rt_kdf(kd, 64, kd + 32, NULL, 0, "TagAndKeyGenKeys") == -1)
		goto out;
	memcpy(ts->key_ck, kd + 32, 32);
	if (rt_kdf(kd, 64, kd, NULL, 0, "STInitialization") == -1)
		goto out;
	memcpy(ts->tag_ck, kd, 32);
	memcpy(ts->tag_const, kd + 32, 32);
	rv = 0;
 out:
	crypto_wipe(kd, sizeof(kd));
	return rv;
}

/* tag and key of index ts->next; moves both chains on */
static int
chains_next(struct rt_tagset *ts, uint8_t tag[RATCHET_TAG_LEN],
    uint8_t key[32])
{
	uint8_t	 kd[64];
	int	 rv = -1;

	if (ts->next >= RATCHET_TAGSET_END)
		return -1;
	if (rt_kdf(kd, 64, ts->tag_ck, ts->tag_const, 32,
	    "SessionTagKeyGen") == -1)
		goto out;
	memcpy(ts->tag_ck, kd, 32);
	memcpy(tag, kd + 32, RATCHET_TAG_LEN);
	if (rt_kdf(kd, 64, ts->key_ck, NULL, 0, "SymmetricRatchet") == -1)
		goto out;
	memcpy(ts->key_ck, kd, 32);
	memcpy(key, kd + 32, 32);
	ts->next++;
	rv = 0;
 out:
	crypto_wipe(kd, sizeof(kd));
	return rv;
}

int
rt_send_next(struct rt_tagset *ts, uint8_t tag[RATCHET_TAG_LEN],
    uint8_t key[32], uint16_t *index)
{
	*index = (uint16_t)ts->next;
	return chains_next(ts, tag, key);
}

static void
slot_drop(struct rt_slot *sl, struct ratchet_session *s)
{
	if (sl->live && s->cb != NULL)
		s->cb(s->cbarg, s, sl->tag, 0);
	crypto_wipe(sl, sizeof(*sl));
}

/* one more tag ahead; the ring forgets the tag a ring's length behind */
static int
recv_gen(struct rt_tagset *ts, struct ratchet_session *s)
{
	struct rt_slot	*sl = &ts->ring[ts->next % ts->ringsz];
	uint16_t	 index = (uint16_t)ts->next;

	slot_drop(sl, s);
	if (chains_next(ts, sl->tag, sl->key) == -1)
		return -1;
	sl->index = index;
	sl->live = 1;
	if (s->cb != NULL)
		s->cb(s->cbarg, s, sl->tag, 1);
	return 0;
}

static int
recv_fill(struct rt_tagset *ts, struct ratchet_session *s, uint32_t target)
{
	if (target > RATCHET_TAGSET_END)
		target = RATCHET_TAGSET_END;
	while (ts->next < target)
		if (recv_gen(ts, s) == -1)
			return -1;
	return 0;
}

int
rt_recv_init(struct rt_tagset *ts, struct ratchet_session *s,
    uint16_t window_max, uint16_t first)
{
	ts->window_max = window_max;
	ts->ringsz = 2 * window_max;
	if ((ts->ring = calloc(ts->ringsz, sizeof(*ts->ring))) == NULL)
		return -1;
	return recv_fill(ts, s, first);
}

struct rt_slot *
rt_recv_find(struct rt_tagset *ts, const uint8_t *tag)
{
	uint16_t	 i;

	for (i = 0; ts->ring != NULL && i < ts->ringsz; i++)
		if (ts->ring[i].live &&
		    memcmp(ts->ring[i].tag, tag, RATCHET_TAG_LEN) == 0)
			return &ts->ring[i];
	return NULL;
}

/*
 * The look-ahead grows with the index reached, as i2pd's does: a busy
 * tag set loses more in a row than a fresh one.
 */
int
rt_recv_used(struct rt_tagset *ts, struct ratchet_session *s,
    struct rt_slot *sl)
{
	uint32_t	 index = sl->index, want;

	slot_drop(sl, s);
	if (index + 1 > ts->high)
		ts->high = index + 1;
	want = RATCHET_WINDOW_MIN + ts->high / 4;
	if (want > ts->window_max)
		want = ts->window_max;
	return recv_fill(ts, s, ts->high + want);
}

void
rt_tagset_wipe(struct rt_tagset *ts, struct ratchet_session *s)
{
	uint16_t	 i;

	if (ts->ring != NULL) {
		for (i = 0; i < ts->ringsz; i++)
			slot_drop(&ts->ring[i], s);
		free(ts->ring);
	}
	crypto_wipe(ts, sizeof(*ts));
}
