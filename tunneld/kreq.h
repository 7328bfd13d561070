/*
 * kreq.c: tunneld's requests to cryptod that a destination's traffic
 * needs: a static-key DH (New Session, New Session Reply, a session's
 * ss) and a signature (repliable datagrams).  Each answer is matched by
 * request id and handed to the callback with the cookie given: plain
 * numbers naming who asked, never pointers, so that an asker gone
 * meanwhile is simply not found.
 *
 * Bounded: KREQ_PER_DEST in flight per destination key, KREQ_MAX in
 * all; over that, the request is refused at once (the callback is not
 * called) and counted.  A request cryptod never answers times out.
 */
#ifndef I2PRD_KREQ_H
#define I2PRD_KREQ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define KREQ_MAX		1024
#define KREQ_PER_DEST		128
#define KREQ_TIMEOUT		30	/* s */

struct kreq_cookie {
	uint32_t	 keyid;		/* the destination */
	uint32_t	 kind;		/* the asker's own */
	uint64_t	 id;		/* the asker's own */
};

/* ok 0: refused or timed out; out: 32 DH bytes or a 64-byte signature */
typedef void (*kreq_cb)(const struct kreq_cookie *, int ok,
	    const uint8_t *out);

struct kreq_ops {
	void	(*dh)(uint32_t reqid, uint32_t keyid, const uint8_t peer[32]);
	void	(*sign)(uint32_t reqid, uint32_t keyid, const uint8_t *,
		    size_t);
	uint32_t (*reqid)(void);
};

struct kreq_stats {
	uint64_t	 dh, sign, refused, failed, timeouts;
	uint32_t	 inflight;
};

void	 kreq_init(const struct kreq_ops *);
/* -1 if over the limits (counted, cb never called) */
int	 kreq_dh(const struct kreq_cookie *, const uint8_t peer[32], kreq_cb,
	    time_t now);
int	 kreq_sign(const struct kreq_cookie *, const uint8_t *, size_t,
	    kreq_cb, time_t now);
/* cryptod's answers: 1 if reqid was one of ours */
int	 kreq_dh_result(uint32_t reqid, const uint8_t shared[32]);
int	 kreq_signature(uint32_t reqid, const uint8_t sig[64]);
int	 kreq_error(uint32_t reqid);
void	 kreq_expire(time_t now);
/* a destination gone: its requests are forgotten, never answered */
void	 kreq_drop_dest(uint32_t keyid);
void	 kreq_stats(struct kreq_stats *);

#endif /* I2PRD_KREQ_H */
