/*
 * Garlic messages to our router (ecies.rst, ecies-routers.rst):
 *   - one-time key and tag: replies we asked for (an outbound
 *     endpoint's build reply, later lookup replies), the 8-byte tag,
 *     then ChaCha20-Poly1305 under the key we gave, nonce 0;
 *   - Noise N to our static key: anything an anonymous sender wraps
 *     for us (a build request through its outbound tunnel), the
 *     ephemeral key, then ChaCha20-Poly1305 with the Noise key.
 * Either way the cleartext is ECIES blocks; cloves for local delivery
 * come out as I2NP messages.
 */
#ifndef I2PRD_GARLIC_H
#define I2PRD_GARLIC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "i2pdata.h"

#define GARLIC_REQID		0x20000000U	/* cryptod request ids */
#define GARLIC_TAGS_MAX		1024	/* one-time tags outstanding */
#define GARLIC_SKEW		(5 * 60)	/* s a DateTime may be off */

/* a clove for local delivery: its header (short form) and payload */
typedef void (*garlic_clove_cb)(void *, const struct i2np_hdr *,
	    const uint8_t *);

/*
 * ECIES blocks: each local clove to cb; the DateTime block's value (0
 * if none) to *datetime.  Cloves for other deliveries, padding and
 * unknown blocks are skipped.  -1 with a reason if malformed.
 */
int	 garlic_blocks(const uint8_t *, size_t, garlic_clove_cb, void *,
	    uint32_t *datetime, const char **why);

/* a one-time key and tag we expect a reply under, until expires */
int	 garlic_expect(const uint8_t key[32], const uint8_t tag[8],
	    time_t expires);

/*
 * Opens a Garlic payload (4-byte length first) sent under a tag of
 * garlic_expect; the tag is used up.  Cleartext into out (at least
 * len bytes); its length, or -1 with a reason (0 left in *known if the
 * tag is not ours).
 */
int	 garlic_open_tagged(const uint8_t *, size_t, time_t now,
	    uint8_t *out, int *known, const char **why);

/*
 * The 8-byte tag a Garlic payload (4-byte length first) starts with,
 * or NULL; and the payload opened with the key that tag was given
 * with (a lookup of a client's, kept apart from the router's tags),
 * as garlic_open_tagged does.
 */
const uint8_t *garlic_tag(const uint8_t *, size_t);
int	 garlic_open_key(const uint8_t *, size_t, const uint8_t key[32],
	    uint8_t *out, const char **why);

/* the ephemeral key of a Noise N garlic (for the DH), or NULL */
const uint8_t *garlic_ephemeral(const uint8_t *, size_t);
/* opens it with DH(our static key, that key); like garlic_open_tagged */
int	 garlic_open_router(const uint8_t *, size_t, const uint8_t our_pub[32],
	    const uint8_t shared[32], uint8_t *out, const char **why);

/*
 * Wraps one I2NP message (header and payload) for local delivery at a
 * router with X25519 key pub: a Garlic payload with a DateTime block
 * and the clove, as garlic_open_router reads it.
 */
int	 garlic_wrap_router(struct wbuf *, const uint8_t pub[32], time_t now,
	    const struct i2np_hdr *, const uint8_t *payload, size_t len);

/* routerd: a Garlic message from a peer or a tunnel of ours */
void	 garlic_in(const uint8_t from[32], const uint8_t *, size_t,
	    int via_tunnel);
struct imsg;
void	 garlic_dispatch_cryptod(struct imsg *);
void	 garlic_expire(time_t now);
struct garlic_stats;
void	 garlic_stats(struct garlic_stats *);
void	 garlic_shutdown(void);

#endif /* I2PRD_GARLIC_H */
