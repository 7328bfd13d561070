/*
 * Garlic to our router; see garlic.h.
 *
 * Block format (ecies.rst, "Payload"): type, 2-byte size, body.
 * DateTime (0) is 4 bytes of seconds; Garlic Clove (11) is a flag byte
 * whose bits 6-5 give the delivery (0 local, 1 destination, 2 router,
 * 3 tunnel: a hash, then a tunnel ID for 3), the message's type, ID
 * and expiration in seconds, and its payload.  We are the last stop of
 * these messages, so only local cloves are taken.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "replay.h"
#include "routerd.h"
#include "garlic.h"
#include "throttle.h"

#define B_DATETIME		0
#define B_CLOVE			11
#define B_PADDING		254
#define CLOVE_LOCAL		0
#define CLOVE_TUNNEL		3
#define TAG_LEN			8
#define GARLIC_PENDING		32	/* waiting for cryptod */
#define EPH_CAP			65536
#define EPH_WINDOW		(2 * GARLIC_SKEW)
/*
 * Garlic with a tag we do not know costs cryptod a DH and its sender
 * nothing (audit #12): each sender (the previous hop, or our tunnels
 * together) has a budget of them.  Floodfills get LeaseSet stores this
 * way from every outbound endpoint, a few a minute each.
 */
#define DH_RATE			5.0	/* per second, per sender */
#define DH_BURST		20.0

static int
clove(struct rbuf *r, garlic_clove_cb cb, void *arg, const char **why)
{
	struct i2np_hdr	 h;
	const uint8_t	*payload;
	uint32_t	 exp;
	uint8_t		 flag, delivery;

	memset(&h, 0, sizeof(h));
	*why = "malformed clove";
	if (rbuf_get_u8(r, &flag) == -1)
		return -1;
	delivery = (flag >> 5) & 3;
	if (delivery != CLOVE_LOCAL && (rbuf_skip(r, 32) == -1 ||
	    (delivery == CLOVE_TUNNEL && rbuf_skip(r, 4) == -1)))
		return -1;
	if (rbuf_get_u8(r, &h.type) == -1 || rbuf_get_u32(r, &h.msg_id) == -1 ||
	    rbuf_get_u32(r, &exp) == -1)
		return -1;
	h.expiration = (uint64_t)exp * 1000;
	h.size = rbuf_left(r);
	if (rbuf_get_ptr(r, &payload, h.size) == -1)
		return -1;
	if (delivery == CLOVE_LOCAL && cb != NULL)
		cb(arg, &h, payload);
	return 0;
}

int
garlic_blocks(const uint8_t *p, size_t len, garlic_clove_cb cb, void *arg,
    uint32_t *datetime, const char **why)
{
	struct rbuf	 r, body;
	const uint8_t	*b;
	uint16_t	 size;
	uint8_t		 type;

	*datetime = 0;
	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0) {
		*why = "truncated block";
		if (rbuf_get_u8(&r, &type) == -1 ||
		    rbuf_get_u16(&r, &size) == -1 ||
		    rbuf_get_ptr(&r, &b, size) == -1)
			return -1;
		rbuf_init(&body, b, size);
		if (type == B_DATETIME) {
			*why = "malformed DateTime";
			if (size != 4 || rbuf_get_u32(&body, datetime) == -1)
				return -1;
		} else if (type == B_CLOVE) {
			if (clove(&body, cb, arg, why) == -1)
				return -1;
		} else if (type == B_PADDING && rbuf_left(&r) != 0) {
			*why = "padding not last";
			return -1;
		}
	}
	return 0;
}

struct tag_ent {
	uint8_t		 tag[TAG_LEN];
	uint8_t		 key[32];
	time_t		 expires;
};

struct garlic_pending {
	uint32_t	 reqid;		/* 0: free */
	int		 via_tunnel;	/* came down an inbound tunnel */
	uint8_t		 from[32];
	uint8_t		*msg;
	size_t		 len;
};

static struct tag_ent		 tags[GARLIC_TAGS_MAX];
static size_t			 ntags;
static struct garlic_pending	 pending[GARLIC_PENDING];
static uint32_t			 next_reqid;
static struct replay		 eph;
static int			 eph_ready;
static struct bucket_set	 dh_buckets;
static struct garlic_stats	 st;

int
garlic_expect(const uint8_t key[32], const uint8_t tag[TAG_LEN],
    time_t expires)
{
	if (ntags == GARLIC_TAGS_MAX)
		garlic_expire(time(NULL));
	if (ntags == GARLIC_TAGS_MAX)
		return -1;
	memcpy(tags[ntags].tag, tag, TAG_LEN);
	memcpy(tags[ntags].key, key, 32);
	tags[ntags].expires = expires;
	ntags++;
	return 0;
}

static void
tag_drop(size_t i)
{
	crypto_wipe(&tags[i], sizeof(tags[i]));
	if (i != --ntags) {
		tags[i] = tags[ntags];
		crypto_wipe(&tags[ntags], sizeof(tags[ntags]));
	}
}

void
garlic_expire(time_t now)
{
	size_t	i = 0;

	while (i < ntags)
		if (tags[i].expires < now)
			tag_drop(i);
		else
			i++;
}

/* the Garlic payload's length field must cover the rest exactly */
static int
garlic_body(const uint8_t *p, size_t len, size_t min)
{
	uint32_t	glen;

	if (len < 4)
		return -1;
	glen = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	return glen == len - 4 && glen >= min ? 0 : -1;
}

int
garlic_open_tagged(const uint8_t *p, size_t len, time_t now, uint8_t *out,
    int *known, const char **why)
{
	uint8_t	key[32];
	size_t	i;
	int	rv;

	*known = 0;
	*why = "malformed garlic";
	if (garlic_body(p, len, TAG_LEN + 16) == -1)
		return -1;
	*why = "unknown tag";
	for (i = 0; i < ntags; i++)
		if (tags[i].expires >= now &&
		    crypto_memcmp(tags[i].tag, p + 4, TAG_LEN) == 0)
			break;
	if (i == ntags)
		return -1;
	*known = 1;
	memcpy(key, tags[i].key, 32);
	tag_drop(i);
	rv = garlic_open_key(p, len, key, out, why);
	crypto_wipe(key, sizeof(key));
	return rv;
}

const uint8_t *
garlic_tag(const uint8_t *p, size_t len)
{
	return garlic_body(p, len, TAG_LEN + 16) == 0 ? p + 4 : NULL;
}

int
garlic_open_key(const uint8_t *p, size_t len, const uint8_t key[32],
    uint8_t *out, const char **why)
{
	*why = "malformed garlic";
	if (garlic_body(p, len, TAG_LEN + 16) == -1)
		return -1;
	*why = "cannot decrypt (tag)";
	if (chachapoly_decrypt(out, key, 0, p + 4, TAG_LEN, p + 4 + TAG_LEN,
	    len - 4 - TAG_LEN) == -1)
		return -1;
	return (int)(len - 4 - TAG_LEN - 16);
}

const uint8_t *
garlic_ephemeral(const uint8_t *p, size_t len)
{
	return garlic_body(p, len, 32 + 16) == 0 ? p + 4 : NULL;
}

int
garlic_open_router(const uint8_t *p, size_t len, const uint8_t our_pub[32],
    const uint8_t shared[32], uint8_t *out, const char **why)
{
	struct noise_ss	 ss;
	int		 rv = -1;

	*why = "malformed garlic";
	if (garlic_body(p, len, 32 + 16) == -1)
		return -1;
	*why = "cannot decrypt (router key)";
	if (noise_n_start(&ss, our_pub, p + 4, shared) == 0 &&
	    noise_decrypt_and_hash(&ss, out, p + 4 + 32, len - 4 - 32) == 0)
		rv = len - 4 - 32 - 16;
	noise_wipe(&ss);
	return rv;
}

int
garlic_wrap_router(struct wbuf *out, const uint8_t pub[32], time_t now,
    const struct i2np_hdr *h, const uint8_t *payload, size_t len)
{
	struct noise_ss	 ss;
	struct wbuf	 clear;
	uint8_t		 priv[32], epub[32], shared[32];
	size_t		 off;
	int		 rv = -1;

	if (len > I2NP_MAX_PAYLOAD - 128 ||
	    wbuf_init_dynamic(&clear, len + 32, len + 32) == -1)
		return -1;
	wbuf_put_u8(&clear, B_DATETIME);
	wbuf_put_u16(&clear, 4);
	wbuf_put_u32(&clear, now);
	wbuf_put_u8(&clear, B_CLOVE);
	wbuf_put_u16(&clear, 1 + 9 + len);
	wbuf_put_u8(&clear, CLOVE_LOCAL);
	wbuf_put_u8(&clear, h->type);
	wbuf_put_u32(&clear, h->msg_id);
	wbuf_put_u32(&clear, h->expiration / 1000);
	wbuf_put_bytes(&clear, payload, len);
	if (wbuf_error(&clear) || x25519_keygen(priv, epub) == -1 ||
	    x25519(shared, priv, pub) == -1 ||
	    noise_n_start(&ss, pub, epub, shared) == -1)
		goto out;
	wbuf_put_u32(out, 32 + wbuf_len(&clear) + 16);
	wbuf_put_bytes(out, epub, 32);
	if (wbuf_reserve(out, wbuf_len(&clear) + 16, &off) == 0)
		rv = noise_encrypt_and_hash(&ss, (uint8_t *)wbuf_data(out) +
		    off, wbuf_data(&clear), wbuf_len(&clear));
	noise_wipe(&ss);
 out:
	crypto_wipe(priv, sizeof(priv));
	crypto_wipe(shared, sizeof(shared));
	crypto_wipe((void *)wbuf_data(&clear), wbuf_len(&clear));
	wbuf_free(&clear);
	return rv;
}

/* a local clove: on as if it had come from the garlic's sender */
static void
deliver(void *arg, const struct i2np_hdr *h, const uint8_t *payload)
{
	peers_dispatch(arg, h, payload);
}

/*
 * A clove of garlic that came down one of our tunnels: only what we
 * wait for passes, as for the tunnel's own messages (audit #3).
 */
static void
deliver_tunnel(void *arg, const struct i2np_hdr *h, const uint8_t *payload)
{
	peers_dispatch_tunnel(h, payload);
}

static void
open_blocks(const uint8_t from[32], const uint8_t *clear, int n, int router,
    int via_tunnel, const uint8_t *msg, size_t len)
{
	uint32_t	 dt;
	const char	*why;
	time_t		 now = time(NULL);

	if (garlic_blocks(clear, n, NULL, NULL, &dt, &why) == -1) {
		log_debug("garlic dropped: %s", why);
		return;
	}
	/* to our router key: only fresh, and each ephemeral key once */
	if (router) {
		if (dt == 0 || (int64_t)dt < now - GARLIC_SKEW ||
		    (int64_t)dt > now + GARLIC_SKEW) {
			log_debug("garlic dropped: DateTime missing or off");
			return;
		}
		if (replay_add(&eph, garlic_ephemeral(msg, len), now) == -1)
			return;
	}
	garlic_blocks(clear, n, via_tunnel ? deliver_tunnel : deliver,
	    (void *)from, &dt, &why);
}

static void
garlic_to_cryptod(const uint8_t from[32], const uint8_t *p, size_t len,
    int via_tunnel)
{
	struct key_dh_req	 req;
	struct garlic_pending	*gp = NULL;
	const uint8_t		*e;
	size_t			 i;

	if ((e = garlic_ephemeral(p, len)) == NULL)
		return;
	if (!eph_ready) {
		if (replay_init(&eph, EPH_CAP, EPH_WINDOW) == -1)
			fatal(NULL);
		eph_ready = 1;
	}
	if (replay_seen(&eph, e, time(NULL))) {
		st.dropped++;
		return;
	}
	if (!bucket_take(&dh_buckets, from, DH_RATE, DH_BURST, mono_ms())) {
		st.throttled++;
		return;
	}
	for (i = 0; i < GARLIC_PENDING && gp == NULL; i++)
		if (pending[i].reqid == 0)
			gp = &pending[i];
	if (gp == NULL || (gp->msg = malloc(len)) == NULL) {
		st.dropped++;
		return;
	}
	memcpy(gp->msg, p, len);
	gp->len = len;
	gp->via_tunnel = via_tunnel;
	memcpy(gp->from, from, 32);
	gp->reqid = GARLIC_REQID | (++next_reqid & (GARLIC_REQID - 1));
	memset(&req, 0, sizeof(req));
	req.keyid = KEYID_ROUTER;
	memcpy(req.peer_pub, e, 32);
	peer_compose(peer_get(PROC_CRYPTOD), IMSG_KEY_DH, gp->reqid, -1, &req,
	    sizeof(req));
}

void
garlic_in(const uint8_t from[32], const uint8_t *p, size_t len,
    int via_tunnel)
{
	uint8_t		*clear;
	const char	*why;
	int		 n, known;

	st.in++;
	if ((clear = malloc(len)) == NULL)
		return;
	n = garlic_open_tagged(p, len, time(NULL), clear, &known, &why);
	if (n >= 0) {
		st.tagged++;
		open_blocks(from, clear, n, 0, via_tunnel, p, len);
	} else if (!known)
		garlic_to_cryptod(from, p, len, via_tunnel);
	else {
		st.dropped++;
		log_debug("garlic dropped: %s", why);
	}
	crypto_wipe(clear, len);
	free(clear);
}

void
garlic_dispatch_cryptod(struct imsg *imsg)
{
	const struct router_info	*self = publish_current();
	struct key_dh_result		 res;
	struct garlic_pending		*gp = NULL;
	uint8_t				*clear;
	const char			*why;
	size_t				 i;
	int				 n;

	for (i = 0; i < GARLIC_PENDING && gp == NULL; i++)
		if (pending[i].reqid == imsg_get_peerid(imsg))
			gp = &pending[i];
	if (gp == NULL)
		return;
	if (self != NULL && imsg_get_type(imsg) == IMSG_KEY_DH_RESULT &&
	    imsg_get_data(imsg, &res, sizeof(res)) == 0 &&
	    (clear = malloc(gp->len)) != NULL) {
		n = garlic_open_router(gp->msg, gp->len, self->ident.crypto_pub,
		    res.shared, clear, &why);
		if (n >= 0) {
			st.router++;
			open_blocks(gp->from, clear, n, 1, gp->via_tunnel,
			    gp->msg, gp->len);
		} else {
			st.dropped++;
			log_debug("garlic dropped: %s", why);
		}
		crypto_wipe(clear, gp->len);
		free(clear);
	}
	crypto_wipe(&res, sizeof(res));
	free(gp->msg);
	memset(gp, 0, sizeof(*gp));
}

void
garlic_stats(struct garlic_stats *out)
{
	*out = st;
}

void
garlic_shutdown(void)
{
	size_t	i;

	for (i = 0; i < GARLIC_PENDING; i++)
		free(pending[i].msg);
	memset(pending, 0, sizeof(pending));
	crypto_wipe(tags, sizeof(tags));
	ntags = 0;
	if (eph_ready)
		replay_free(&eph);
	eph_ready = 0;
}
