/*
 * DatabaseLookup: key, from, flags, a reply tunnel when the reply goes
 * to a tunnel, up to 512 excluded hashes, then reply keys when the
 * flags ask for an encrypted reply.  Flag bits 4 and 1 choose the
 * reply's encryption (i2np.rst, "Reply Encryption"):
 *   0 0  none;
 *   0 1  ElGamal/AES: a 32-byte key and 1-32 tags of 32 bytes, of
 *        which a reply uses the first (ElGamal destinations ask so);
 *   1 0  ECIES: a 32-byte key and exactly one 8-byte tag;
 *   1 1  not defined: refused.
 * DatabaseSearchReply: key, a count, that many hashes, from.
 * Both must end where their fields end.
 */
#include <stdlib.h>
#include <string.h>

#include "lookup.h"

static const uint8_t	zero_hash[32];

static int
dbl_parse_reply(struct dblookup *l, struct rbuf *r, const char **why)
{
	const uint8_t	*tags;
	uint8_t		 ntags;

	switch (l->flags & (DBL_F_ECIES | DBL_F_ENCRYPT)) {
	case 0:
		l->reply = DBL_REPLY_PLAIN;
		return 0;
	case DBL_F_ECIES:
		l->reply = DBL_REPLY_AEAD;
		rbuf_get_bytes(r, l->reply_key, 32);
		*why = "ECIES reply needs exactly one tag";
		if (rbuf_get_u8(r, &ntags) == 0 && ntags != 1)
			return -1;
		rbuf_get_bytes(r, l->reply_tag, 8);
		*why = "truncated reply key";
		return rbuf_error(r) ? -1 : 0;
	case DBL_F_ENCRYPT:
		l->reply = DBL_REPLY_AES;
		rbuf_get_bytes(r, l->reply_key, 32);
		*why = "ElGamal/AES reply needs 1 to 32 tags";
		if (rbuf_get_u8(r, &ntags) == 0 && (ntags < 1 || ntags > 32))
			return -1;
		*why = "truncated reply tags";
		if (rbuf_get_ptr(r, &tags, (size_t)ntags * 32) == -1)
			return -1;
		memcpy(l->reply_tag, tags, 32);
		return 0;
	default:
		*why = "undefined reply encryption (flag bits 4 and 1)";
		return -1;
	}
}

int
dbl_parse(struct dblookup *l, const uint8_t *buf, size_t len,
    const char **why)
{
	struct rbuf	 r;

	memset(l, 0, sizeof(*l));
	rbuf_init(&r, buf, len);
	rbuf_get_bytes(&r, l->key, 32);
	rbuf_get_bytes(&r, l->from, 32);
	rbuf_get_u8(&r, &l->flags);
	if (l->flags & DBL_F_TUNNEL)
		rbuf_get_u32(&r, &l->reply_tunnel);
	rbuf_get_u16(&r, &l->nexcluded);
	*why = "truncated";
	if (rbuf_error(&r))
		return -1;
	*why = "reply tunnel 0";
	if ((l->flags & DBL_F_TUNNEL) && l->reply_tunnel == 0)
		return -1;
	*why = "more than 512 excluded peers";
	if (l->nexcluded > DBL_EXCLUDE_MAX)
		return -1;
	*why = "truncated exclusion list";
	if (rbuf_get_ptr(&r, &l->excluded, (size_t)l->nexcluded * 32) == -1)
		return -1;
	l->explore = (l->flags & DBL_F_TYPE) == DBL_TYPE_EXPLORE ||
	    dbl_excludes(l, zero_hash);
	if (dbl_parse_reply(l, &r, why) == -1)
		return -1;
	*why = "trailing bytes";
	return rbuf_end(&r);
}

int
dbl_excludes(const struct dblookup *l, const uint8_t hash[32])
{
	uint16_t	i;

	for (i = 0; i < l->nexcluded; i++)
		if (memcmp(l->excluded + (size_t)i * 32, hash, 32) == 0)
			return 1;
	return 0;
}

static int
hash_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

uint8_t *
dbl_excluded_sorted(const struct dblookup *l)
{
	uint8_t	*sorted;

	if (l->nexcluded == 0 ||
	    (sorted = malloc((size_t)l->nexcluded * 32)) == NULL)
		return NULL;
	memcpy(sorted, l->excluded, (size_t)l->nexcluded * 32);
	qsort(sorted, l->nexcluded, 32, hash_cmp);
	return sorted;
}

int
dbl_in_sorted(const uint8_t *sorted, size_t n, const uint8_t hash[32])
{
	return sorted != NULL && bsearch(hash, sorted, n, 32, hash_cmp) !=
	    NULL;
}

int
dbl_build(struct wbuf *w, const struct dblookup *l)
{
	if (l->nexcluded > DBL_EXCLUDE_MAX ||
	    ((l->flags & DBL_F_TUNNEL) && l->reply_tunnel == 0) ||
	    (l->reply == DBL_REPLY_AEAD) != ((l->flags & (DBL_F_ECIES |
	    DBL_F_ENCRYPT)) == DBL_F_ECIES) || l->reply == DBL_REPLY_AES)
		return -1;
	wbuf_put_bytes(w, l->key, 32);
	wbuf_put_bytes(w, l->from, 32);
	wbuf_put_u8(w, l->flags);
	if (l->flags & DBL_F_TUNNEL)
		wbuf_put_u32(w, l->reply_tunnel);
	wbuf_put_u16(w, l->nexcluded);
	wbuf_put_bytes(w, l->excluded, (size_t)l->nexcluded * 32);
	if (l->reply == DBL_REPLY_AEAD) {
		wbuf_put_bytes(w, l->reply_key, 32);
		wbuf_put_u8(w, 1);
		wbuf_put_bytes(w, l->reply_tag, 8);
	}
	return wbuf_error(w) ? -1 : 0;
}

int
dsrm_parse(struct dsrm *d, const uint8_t *buf, size_t len, const char **why)
{
	struct rbuf	 r;

	memset(d, 0, sizeof(*d));
	rbuf_init(&r, buf, len);
	rbuf_get_bytes(&r, d->key, 32);
	rbuf_get_u8(&r, &d->npeers);
	rbuf_get_ptr(&r, &d->peers, (size_t)d->npeers * 32);
	rbuf_get_bytes(&r, d->from, 32);
	*why = "truncated";
	if (rbuf_error(&r))
		return -1;
	*why = "trailing bytes";
	return rbuf_end(&r);
}

int
dsrm_build(struct wbuf *w, const uint8_t key[32], const uint8_t *peers,
    size_t npeers, const uint8_t from[32])
{
	if (npeers > DSRM_PEERS_MAX)
		return -1;
	wbuf_put_bytes(w, key, 32);
	wbuf_put_u8(w, npeers);
	wbuf_put_bytes(w, peers, npeers * 32);
	wbuf_put_bytes(w, from, 32);
	return wbuf_error(w) ? -1 : 0;
}
