/*
 * I2NP DatabaseStore (i2np.rst "DatabaseStore"), parse and build.
 */
#ifndef I2PRD_DSM_H
#define I2PRD_DSM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define DSM_TYPE_RI		0
#define DSM_TYPE_LS		1
#define DSM_TYPE_LS2		3
/* a RouterInfo's gzip data may not inflate beyond this (i2pd's limit) */
#define DSM_RI_MAX		3072

struct dsm {
	uint8_t		 key[32];
	uint8_t		 type;
	uint32_t	 reply_token;
	uint32_t	 reply_tunnel;		/* if reply_token != 0 */
	uint8_t		 reply_gateway[32];	/* if reply_token != 0 */
	/* RouterInfo: inflated; others: the data as received */
	uint8_t		 data[DSM_RI_MAX];
	size_t		 datalen;
};

/* 0, or -1 with a reason (truncated, bad gzip, too large, type) */
int	 dsm_parse(struct dsm *, const uint8_t *, size_t, const char **);
/* writes the DatabaseStore payload of a RouterInfo, gzip-compressed */
int	 dsm_build_ri(struct wbuf *, const uint8_t key[32], const uint8_t *,
	    size_t, uint32_t reply_token, uint32_t reply_tunnel,
	    const uint8_t reply_gateway[32]);

/* the DatabaseStore payload of a LeaseSet of that store type */
int	 dsm_build_ls(struct wbuf *, const uint8_t key[32], uint8_t type,
	    const uint8_t *, size_t, uint32_t reply_token,
	    uint32_t reply_tunnel, const uint8_t reply_gateway[32]);
/* the same from a RouterInfo already compressed */
int	 dsm_build_ri_gz(struct wbuf *, const uint8_t key[32], const uint8_t *,
	    size_t, uint32_t reply_token, uint32_t reply_tunnel,
	    const uint8_t reply_gateway[32]);

/* gzip (RFC 1952) as DatabaseStore carries RouterInfos */
int	 gzip_deflate(uint8_t *, size_t, size_t *, const uint8_t *, size_t);
/* one stream for one input: wbits and level as zlib takes them */
int	 deflate_all(int wbits, int level, uint8_t *, size_t, size_t *,
	    const uint8_t *, size_t);
int	 gzip_inflate(uint8_t *, size_t, size_t *, const uint8_t *, size_t);
/*
 * All of the input, one whole stream, into at most outsz bytes; wbits
 * as zlib takes it (gzip framing, or negative for raw deflate).
 */
int	 inflate_all(int wbits, uint8_t *, size_t, size_t *, const uint8_t *,
	    size_t);

#endif /* I2PRD_DSM_H */
