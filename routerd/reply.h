/*
 * Replies as a DatabaseLookup or DatabaseStore asks for them: straight
 * to a router, or into a tunnel through its gateway (TunnelGateway),
 * and when asked, end-to-end encrypted with a one-time key and tag: an
 * ECIES-X25519 existing-session garlic message (ecies.rst 1h), or for
 * ElGamal destinations, which still publish and look up LeaseSets, an
 * ElGamal/AES existing-session one (elgamal-aes.html).
 */
#ifndef I2PRD_REPLY_H
#define I2PRD_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "i2pdata.h"

/* the garlic a reply goes in, under key and tag */
enum reply_enc {
	REPLY_PLAIN,
	REPLY_AEAD,		/* ChaCha20-Poly1305, an 8-byte tag */
	REPLY_AES		/* AES-256-CBC, a 32-byte session tag */
};

struct reply_to {
	uint8_t		 router[32];	/* requester or reply gateway */
	uint32_t	 tunnel;	/* 0: to the router itself */
	enum reply_enc	 enc;
	uint8_t		 key[32];
	uint8_t		 tag[32];	/* REPLY_AEAD: the first 8 bytes */
};

/*
 * Wraps the message (inner header and payload) for rt: garlic first
 * unless enc is REPLY_PLAIN, then a TunnelGateway when tunnel is set.
 * Writes the payload of what goes to rt->router to out and its I2NP
 * type to type.
 */
int	 reply_wrap(struct wbuf *out, uint8_t *type, const struct reply_to *,
	    const struct i2np_hdr *inner, const uint8_t *payload, size_t len);

#endif /* I2PRD_REPLY_H */
