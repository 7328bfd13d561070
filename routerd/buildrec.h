/*
 * Short tunnel build records (tunnel-creation-ecies.rst, "Short Record
 * Specification"): 218 bytes each, a request encrypted to one hop with
 * Noise N (the hop's static X25519 key), the hop's reply in its place.
 * The keys a hop uses (layer, IV, reply, and at an outbound endpoint
 * the garlic reply key and tag) come from the Noise chaining key.
 */
#ifndef I2PRD_BUILDREC_H
#define I2PRD_BUILDREC_H

#include <stddef.h>
#include <stdint.h>

#define BREC_LEN		218
#define BREC_CLEAR_LEN		154	/* request, decrypted */
#define BREC_REPLY_CLEAR_LEN	202
#define BREC_MAX		8	/* records in a build message */

#define BREC_F_IBGW		0x80	/* "allow messages from anyone" */
#define BREC_F_OBEP		0x40	/* "allow messages to anyone" */

/* reply codes (tunnel-creation.rst) */
#define BREC_ACCEPT		0
#define BREC_REJECT_BANDWIDTH	30

struct brec_req {
	uint32_t	 recv_tunnel;	/* nonzero */
	uint32_t	 next_tunnel;	/* nonzero */
	uint8_t		 next_hash[32];
	uint8_t		 flags;		/* BREC_F_* */
	uint8_t		 layer_type;	/* 0: AES */
	uint32_t	 request_min;	/* minutes since the epoch */
	uint32_t	 expiration;	/* s after the request */
	uint32_t	 next_msg_id;
};

/* what a hop derives from its record */
struct brec_keys {
	uint8_t		 h[32];		/* the reply's associated data */
	uint8_t		 reply_key[32];
	uint8_t		 layer_key[32];
	uint8_t		 iv_key[32];
	uint8_t		 garlic_key[32];	/* OBEP only */
	uint8_t		 garlic_tag[8];		/* OBEP only */
};

/* the index of the record for hash among n, or -1 */
int	 brec_find(const uint8_t *recs, size_t n, const uint8_t hash[32]);
/* the same for records of another size (long records) */
int	 brec_find_len(const uint8_t *recs, size_t n, size_t reclen,
	    const uint8_t hash[32]);

/*
 * Creator: rec = the request encrypted to a hop (its hash and static
 * X25519 key); keys gets what the hop will derive.
 */
int	 brec_seal(uint8_t rec[BREC_LEN], const uint8_t hop_hash[32],
	    const uint8_t hop_pub[32], const struct brec_req *,
	    struct brec_keys *);

/*
 * Hop: opens its record given DH(our static key, the record's
 * ephemeral key), which cryptod computes; parses and checks it and
 * derives the keys.  -1 with a reason.
 */
int	 brec_open(const uint8_t rec[BREC_LEN], const uint8_t our_pub[32],
	    const uint8_t shared[32], struct brec_req *, struct brec_keys *,
	    const char **why);
/* a decrypted request record (brec_open's parser, for the fuzzer) */
int	 brec_parse(const uint8_t clear[BREC_CLEAR_LEN], struct brec_req *,
	    const char **why);
/* the ephemeral public key of a record, for the DH */
const uint8_t *brec_ephemeral(const uint8_t rec[BREC_LEN]);

/* hop: its reply, in its record's place (index i) */
int	 brec_reply(uint8_t rec[BREC_LEN], const struct brec_keys *, int i,
	    uint8_t code);
/* hop: each other record i, masked with the hop's reply key */
int	 brec_mask(uint8_t rec[BREC_LEN], const uint8_t reply_key[32], int i);
/* creator: a hop's reply, after unmasking by the later hops; the code */
int	 brec_reply_open(const uint8_t rec[BREC_LEN], const struct brec_keys *,
	    int i, uint8_t *code);

/*
 * Long records (tunnel-creation-ecies.rst, "Long Record
 * Specification"), in VariableTunnelBuild messages: 528 bytes, the
 * same Noise N request but 464 bytes of it, with the layer, IV and
 * AES reply keys written out; the hop's reply is ChaCha20-Poly1305
 * under the chaining key with the hash after the request as
 * associated data, and the other records are AES-256-CBC encrypted
 * with the reply key and IV, each on its own.
 */
#define BREC_LONG_LEN		528
#define BREC_LONG_CLEAR_LEN	464
#define BREC_LONG_REPLY_LEN	512

struct brec_long_keys {
	uint8_t		 layer_key[32];
	uint8_t		 iv_key[32];
	uint8_t		 reply_key[32];	/* AES, for the other records */
	uint8_t		 reply_iv[16];
	uint8_t		 ck[32];	/* for the hop's own reply */
	uint8_t		 h[32];
};
int	 brec_long_parse(const uint8_t clear[BREC_LONG_CLEAR_LEN],
	    struct brec_req *, struct brec_long_keys *, const char **why);
int	 brec_long_open(const uint8_t rec[BREC_LONG_LEN],
	    const uint8_t our_pub[32], const uint8_t shared[32],
	    struct brec_req *, struct brec_long_keys *, const char **why);
int	 brec_long_reply(uint8_t rec[BREC_LONG_LEN],
	    const struct brec_long_keys *, uint8_t code);
int	 brec_long_mask(uint8_t rec[BREC_LONG_LEN],
	    const struct brec_long_keys *);
/*
 * Creator: a long request to a hop, with fresh layer, IV and reply keys
 * (into the keys, with what opens the hop's reply); a record masked by
 * a hop, unmasked (AES-256-CBC decryption); the hop's reply's code.
 */
int	 brec_long_seal(uint8_t rec[BREC_LONG_LEN], const uint8_t hop_hash[32],
	    const uint8_t hop_pub[32], const struct brec_req *,
	    struct brec_long_keys *);
int	 brec_long_unmask(uint8_t rec[BREC_LONG_LEN],
	    const struct brec_long_keys *);
int	 brec_long_reply_open(const uint8_t rec[BREC_LONG_LEN],
	    const struct brec_long_keys *, uint8_t *code);

#endif /* I2PRD_BUILDREC_H */
