/*
 * I2NP DatabaseLookup and DatabaseSearchReply (i2np.rst), parse and
 * build.  Hash lists point into the message they were parsed from.
 */
#ifndef I2PRD_LOOKUP_H
#define I2PRD_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* DatabaseLookup flags */
#define DBL_F_TUNNEL		0x01	/* reply to a tunnel, not directly */
#define DBL_F_ENCRYPT		0x02	/* with ECIES: DH reply, not defined */
#define DBL_F_TYPE		0x0c
#define DBL_TYPE_ANY		0x00	/* deprecated since 0.9.16 */
#define DBL_TYPE_LS		0x04
#define DBL_TYPE_RI		0x08
#define DBL_TYPE_EXPLORE	0x0c
#define DBL_F_ECIES		0x10	/* AEAD reply with the enclosed key */

#define DBL_EXCLUDE_MAX		512
#define DSRM_PEERS_MAX		255

/* how the reply is to be encrypted */
enum dbl_reply {
	DBL_REPLY_PLAIN,
	DBL_REPLY_AEAD,		/* ECIES existing-session message: key, tag */
	DBL_REPLY_AES		/* ElGamal/AES: key, the first session tag */
};

struct dblookup {
	uint8_t		 key[32];
	uint8_t		 from[32];	/* requester, or the reply gateway */
	uint8_t		 flags;
	uint32_t	 reply_tunnel;	/* with DBL_F_TUNNEL, nonzero */
	uint16_t	 nexcluded;
	const uint8_t	*excluded;	/* nexcluded hashes of 32 bytes */
	int		 explore;	/* type 11, or an all-zero exclusion */
	enum dbl_reply	 reply;
	uint8_t		 reply_key[32];	/* DBL_REPLY_AEAD, DBL_REPLY_AES */
	uint8_t		 reply_tag[32];	/* DBL_REPLY_AEAD: 8 bytes */
};

struct dsrm {
	uint8_t		 key[32];
	uint8_t		 npeers;
	const uint8_t	*peers;		/* npeers hashes of 32 bytes */
	uint8_t		 from[32];	/* unauthenticated */
};

/* 0, or -1 with a reason */
int	 dbl_parse(struct dblookup *, const uint8_t *, size_t, const char **);
int	 dbl_build(struct wbuf *, const struct dblookup *);
/* 1 if hash is in the lookup's exclusion list */
int	 dbl_excludes(const struct dblookup *, const uint8_t hash[32]);
/*
 * The exclusion list sorted (nexcluded hashes; free() it; NULL if none
 * or out of memory) and a search in it: a netDb scan then costs a
 * binary search per entry, not a pass over up to 512 hashes.
 */
uint8_t	*dbl_excluded_sorted(const struct dblookup *);
int	 dbl_in_sorted(const uint8_t *, size_t, const uint8_t hash[32]);

int	 dsrm_parse(struct dsrm *, const uint8_t *, size_t, const char **);
int	 dsrm_build(struct wbuf *, const uint8_t key[32], const uint8_t *peers,
	    size_t npeers, const uint8_t from[32]);

#endif /* I2PRD_LOOKUP_H */
