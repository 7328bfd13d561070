/*
 * The payload blocks of ECIES-X25519-AEAD-Ratchet garlic (ecies.rst
 * section 5, "Payload"): what is inside a New Session, New Session
 * Reply or Existing Session message once decrypted, and inside garlic
 * to a router (ecies-routers.rst).  Reader and writer; both routerd and
 * tunneld use them.
 *
 * Each block is a type byte, a 2-byte big-endian size and size bytes.
 * The reader checks the format of each block and the rules every
 * context shares (Padding only once and last); which blocks a given
 * message may hold (DateTime first in a New Session, no NextKey in a
 * New Session Reply, ...) is the caller's rule.  Unknown block types
 * are skipped, as the spec asks.
 */
#ifndef I2PRD_GARLICBLK_H
#define I2PRD_GARLICBLK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "i2pdata.h"

enum gblk_type {
	GBLK_DATETIME = 0,
	GBLK_TERMINATION = 4,
	GBLK_OPTIONS = 5,
	GBLK_MSGNUM = 6,
	GBLK_NEXTKEY = 7,
	GBLK_ACK = 8,
	GBLK_ACKREQ = 9,
	GBLK_CLOVE = 11,
	GBLK_PADDING = 254
};

/* the largest plaintext of one AEAD frame: 65535 minus the MAC */
#define GBLK_PAYLOAD_MAX	65519
#define GBLK_HDR_LEN		3
#define GBLK_OPTIONS_MIN	21

/* NextKey flags (ecies.rst "Next DH Ratchet Public Key") */
#define GBLK_NK_KEY		0x01	/* a key follows */
#define GBLK_NK_REVERSE		0x02	/* reverse key (from the tag receiver) */
#define GBLK_NK_REQUEST		0x04	/* forward key asking for a reverse key */
#define GBLK_NK_KEYID_MAX	32767

/* clove delivery types: flag bits 6-5 */
enum gblk_delivery {
	GBLK_LOCAL = 0,
	GBLK_DESTINATION = 1,
	GBLK_ROUTER = 2,
	GBLK_TUNNEL = 3
};

struct gblk_clove {
	enum gblk_delivery delivery;
	uint8_t		 hash[32];	/* DESTINATION, ROUTER, TUNNEL */
	uint32_t	 tunnel_id;	/* TUNNEL */
	struct i2np_hdr	 hdr;		/* 9-byte header; size = msglen */
	const uint8_t	*msg;		/* the I2NP body, inside the input */
	size_t		 msglen;
};

struct gblk_options {
	uint8_t		 ver, flags, stl;
	uint16_t	 stimeout, sotw, ritw;
	uint8_t		 tmin, tmax, rmin, rmax;
	uint16_t	 tdmy, rdmy, tdelay, rdelay;
	const uint8_t	*more;		/* more_options, inside the input */
	size_t		 morelen;
};

struct gblk_ack {
	uint16_t	 tagset_id;
	uint16_t	 n;
};

/* one block as read; data/len is its body, inside the input */
struct gblk {
	uint8_t		 type;
	const uint8_t	*data;
	size_t		 len;
	union {
		uint32_t		 datetime;	/* seconds */
		struct {
			uint8_t		 reason;
			const uint8_t	*extra;
			size_t		 extralen;
		} term;
		struct gblk_options	 opts;
		uint16_t		 pn;		/* MessageNumbers */
		struct {
			uint8_t		 flags;
			uint16_t	 key_id;
			uint8_t		 key[32];	/* if flags & GBLK_NK_KEY */
		} nextkey;
		size_t			 nacks;		/* read with gblk_ack_get */
		uint8_t			 ackreq_flags;
		struct gblk_clove	 clove;
	} u;
};

struct gblk_iter {
	struct rbuf	 r;
	int		 padding;	/* a Padding block was read */
};

void	 gblk_iter_init(struct gblk_iter *, const void *, size_t);
/*
 * The next known block: 1 and *b filled, 0 at the end, -1 (with *why)
 * on a malformed or truncated block or one after Padding.  Stops for
 * good after -1.
 */
int	 gblk_next(struct gblk_iter *, struct gblk *, const char **why);
/* the i-th ack of an ACK block (i < b->u.nacks) */
int	 gblk_ack_get(const struct gblk *, size_t i, struct gblk_ack *);

/* writers: each appends one whole block, 0 or -1 (wbuf error sticks) */
int	 gblk_put_datetime(struct wbuf *, uint32_t seconds);
int	 gblk_put_termination(struct wbuf *, uint8_t reason);
int	 gblk_put_options(struct wbuf *, const struct gblk_options *);
int	 gblk_put_msgnum(struct wbuf *, uint16_t pn);
/* key NULL: no key, the GBLK_NK_KEY flag is cleared; else set */
int	 gblk_put_nextkey(struct wbuf *, uint8_t flags, uint16_t key_id,
	    const uint8_t *key);
int	 gblk_put_ack(struct wbuf *, const struct gblk_ack *, size_t n);
int	 gblk_put_ackreq(struct wbuf *);
/* the clove's hdr.type, msg_id and expiration; its msg and msglen */
int	 gblk_put_clove(struct wbuf *, const struct gblk_clove *);
/* n zero bytes of padding (encrypted afterwards, so zeros are fine) */
int	 gblk_put_padding(struct wbuf *, size_t n);
/* the bytes gblk_put_clove writes for a clove */
size_t	 gblk_clove_size(const struct gblk_clove *);

#endif /* I2PRD_GARLICBLK_H */
