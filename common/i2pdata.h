/*
 * I2P common data structures (common-structures.rst) and the I2NP
 * message header (i2np.rst): strict parsers over struct rbuf and
 * serializers over struct wbuf.
 *
 * Every parser is a pure function of its input bytes: no clock, no
 * global state, no allocation.  Parsers check structure only; signatures
 * are checked by the *_verify functions, which a caller must run before
 * trusting anything parsed.  All functions return 0 on success and -1 on
 * failure; those taking a struct i2p_err fill it in on failure (it may
 * be NULL).
 *
 * Supported: signature type 7 (Ed25519) and crypto type 4 (X25519) in
 * router identities; in Destinations the signature types in use
 * (0 DSA-SHA1, 1-3 ECDSA, 7 Ed25519, 11 RedDSA) and crypto type 0 (256
 * unused bytes) or 4.  Other types are parsed far enough to check their
 * lengths and then refused with I2PE_SIGTYPE / I2PE_CRYPTOTYPE.
 */
#ifndef I2PRD_I2PDATA_H
#define I2PRD_I2PDATA_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "encoding.h"

/*
 * Errors
 */

enum i2p_errcode {
	I2PE_OK = 0,
	I2PE_TRUNCATED,		/* input ends inside a structure */
	I2PE_TRAILING,		/* bytes after the structure */
	I2PE_TOO_LARGE,		/* over a size limit */
	I2PE_TOO_MANY,		/* more entries than we hold */
	I2PE_BAD_CERT,		/* certificate length wrong for its type */
	I2PE_CERTTYPE,		/* certificate type other than KEY (arg) */
	I2PE_SIGTYPE,		/* unsupported signature type (arg) */
	I2PE_CRYPTOTYPE,	/* unsupported crypto type (arg) */
	I2PE_KEYLEN,		/* key length does not match its type */
	I2PE_SYNTAX,		/* malformed mapping entry */
	I2PE_STRING,		/* string holds a NUL */
	I2PE_DUPKEY,		/* duplicate mapping key */
	I2PE_UNSORTED,		/* mapping keys out of order */
	I2PE_FIELD,		/* a field holds a value we refuse */
	I2PE_SIGNATURE,		/* signature does not verify */
	I2PE_EXPIRED,		/* offline signature expired */
	I2PE_SIGN,		/* the signing callback failed */
	I2PE_ENCODING,		/* bad base64 */
	I2PE_ARG,		/* caller error (build functions) */
	I2PE_INTERNAL,		/* the crypto library failed */
	I2PE_MISMATCH,		/* a private key not matching its public key */
	I2PE_OFFLINE,		/* an offline signature where none is taken */
	I2PE_MAX
};

struct i2p_err {
	int		 code;	/* enum i2p_errcode */
	unsigned	 arg;	/* the type number for *TYPE codes */
	const char	*where;	/* structure being read: "mapping", ... */
};

/* fills err (if not NULL) and returns -1, for "return i2p_seterr(...)" */
int		 i2p_seterr(struct i2p_err *, int, unsigned, const char *);
/* "truncated", "bad signature", ... */
const char	*i2p_strerror(int);
/* "RouterAddress: unsupported signature type 3", written into buf */
const char	*i2p_errstr(const struct i2p_err *, char *, size_t);

/*
 * Signs len bytes of msg with a key the caller holds (cryptod); writes
 * a 64-byte Ed25519 signature.  Returns 0 or -1.
 */
typedef int (*i2p_sign_fn)(void *arg, const uint8_t *msg, size_t len,
    uint8_t sig[64]);

/*
 * Mapping: 2-byte size, then "len|key = len|val ;" entries.  Held
 * sorted by key (byte order, which is Java's String.compareTo for the
 * ASCII keys in use) without duplicates, and always written sorted.
 */

#define MAPPING_MAX		64	/* entries */
#define MAPPING_STRMAX		255	/* bytes in a key or value */
/*
 * Key and value bytes plus a NUL each.  The largest options mapping a
 * 3072-byte RouterInfo can carry has 2605 bytes of entries (3072 - 391
 * identity - 8 published - 2 counts - 2 size - 64 signature), i.e. at
 * most 2603 bytes here since each entry's 4 framing bytes become 2 NULs.
 */
#define MAPPING_POOLSZ		2624
#define MAPPING_WIREMAX		65535

/* mapping_parse flags */
#define MAPPING_SORTED		0x01	/* require ascending keys (signed) */

struct mapping {
	uint16_t	 n;
	uint16_t	 used;			/* bytes of pool in use */
	struct {
		uint16_t key, val;		/* offsets into pool */
	}		 ent[MAPPING_MAX];
	char		 pool[MAPPING_POOLSZ];
};

void	 mapping_init(struct mapping *);
/* adds or replaces; -1 if a string is over 255 bytes or it is full */
int	 mapping_set(struct mapping *, const char *, const char *);
/* adds; -1 with I2PE_DUPKEY if the key is there */
int	 mapping_add(struct mapping *, const char *, const char *,
	    struct i2p_err *);
int	 mapping_del(struct mapping *, const char *);
const char *mapping_get(const struct mapping *, const char *);
size_t	 mapping_count(const struct mapping *);
const char *mapping_key(const struct mapping *, size_t);
const char *mapping_val(const struct mapping *, size_t);
/* value as a decimal integer <= max, no sign, no leading zeros */
int	 mapping_get_uint(const struct mapping *, const char *,
	    unsigned long long, unsigned long long *);
/* value as base64 of exactly len bytes */
int	 mapping_get_b64(const struct mapping *, const char *, void *,
	    size_t);
/* bytes mapping_write will write, size field included */
size_t	 mapping_wirelen(const struct mapping *);

int	 mapping_parse(struct mapping *, struct rbuf *, int,
	    struct i2p_err *);
/* a whole buffer holding one mapping */
int	 mapping_parse_bytes(struct mapping *, const void *, size_t, int,
	    struct i2p_err *);
int	 mapping_write(const struct mapping *, struct wbuf *);

/*
 * Key types and lengths
 */

#define SIGTYPE_DSA_SHA1	0
#define SIGTYPE_ECDSA_P256	1
#define SIGTYPE_ECDSA_P384	2
#define SIGTYPE_ECDSA_P521	3
#define SIGTYPE_RSA_2048	4
#define SIGTYPE_RSA_3072	5
#define SIGTYPE_RSA_4096	6
#define SIGTYPE_ED25519		7
#define SIGTYPE_ED25519PH	8
#define SIGTYPE_REDDSA		11

#define CRYPTOTYPE_ELGAMAL	0
#define CRYPTOTYPE_X25519	4

#define CERT_NULL		0
#define CERT_KEY		5

/* public key and signature lengths of a known type; -1 if unknown */
int	 i2p_sigtype_len(unsigned, size_t *, size_t *);
int	 i2p_cryptotype_len(unsigned, size_t *);

/*
 * Certificate: type, 2-byte length, payload.  payload points into the
 * parsed buffer.
 */
struct i2p_cert {
	uint8_t		 type;
	uint16_t	 len;
	const uint8_t	*payload;
};

int	 cert_parse(struct i2p_cert *, struct rbuf *, struct i2p_err *);

/*
 * KeysAndCert, as RouterIdentity and Destination.  The 384 key bytes
 * hold the crypto key at the start and the signing key at the end;
 * between (and, in a Destination with crypto type 0, in the unused 256
 * crypto bytes) is padding, one random 32-byte block repeated as
 * proposal 161 recommends so that gzip removes it.
 */

#define I2P_KEYS_LEN		384
#define I2P_IDENT_LEN		391	/* 384 + key certificate of 4 */
/* ECDSA P-521: 4 key bytes beyond the 384 go into the certificate */
#define I2P_IDENT_MAXLEN	395
#define I2P_HASH_LEN		32
#define I2P_SIGPUB_MAXLEN	132	/* ECDSA P-521 */
#define I2P_SIG_MAXLEN		132	/* ECDSA P-521 */
#define I2P_IDENT_B64SZ		B64_ENCLEN(I2P_IDENT_LEN)
/* "<52 base32 chars>.b32.i2p" and the NUL */
#define I2P_B32_NAMESZ		(B32_ENCLEN(I2P_HASH_LEN) + 8)

enum ident_kind {
	IDENT_ROUTER,		/* Ed25519, crypto type 4 only */
	IDENT_DEST		/* sig types 0-3, 7, 11; crypto type 0 or 4 */
};

struct i2p_ident {
	uint16_t	 sigtype;
	uint16_t	 cryptotype;
	uint8_t		 crypto_pub[32];	/* X25519 if cryptotype 4 */
	uint8_t		 sign_pub[I2P_SIGPUB_MAXLEN];
	uint16_t	 sign_publen;		/* as the sigtype says */
	uint8_t		 raw[I2P_IDENT_MAXLEN];	/* as on the wire */
	size_t		 rawlen;
	uint8_t		 hash[I2P_HASH_LEN];	/* SHA-256 of raw */
};

int	 ident_parse(struct i2p_ident *, struct rbuf *, enum ident_kind,
	    struct i2p_err *);
/* identity_parse.c: ident_parse without the hash (id->hash left zero) */
int	 ident_parse_keys(struct i2p_ident *, struct rbuf *, enum ident_kind,
	    struct i2p_err *);
/* 0 if s is the base64 of an identity of that kind, nothing after it */
int	 ident_check_b64(const char *, enum ident_kind);
/* 1 for the signature types ident_verify checks */
int	 sigtype_verifiable(uint16_t);
int	 ident_parse_bytes(struct i2p_ident *, const void *, size_t,
	    enum ident_kind, struct i2p_err *);
int	 ident_write(const struct i2p_ident *, struct wbuf *);
/*
 * Builds an Ed25519 identity.  crypto_pub is the X25519 key (required
 * for IDENT_ROUTER; NULL in a Destination means crypto type 0).  pad is
 * the 32-byte padding block, NULL for a random one.
 */
int	 ident_build(struct i2p_ident *, enum ident_kind,
	    const uint8_t crypto_pub[32], const uint8_t sign_pub[32],
	    const uint8_t pad[32]);
size_t	 ident_siglen(const struct i2p_ident *);
/*
 * A signing key alone (an offline signature's transient key, a blinded
 * key), as an identity that ident_verify takes; -1 if the type is not
 * one ident_verify checks or len is not its key length.
 */
int	 ident_signer(struct i2p_ident *, uint16_t sigtype, const uint8_t *,
	    size_t len);
/*
 * 0 if sig is a valid signature of msg by the identity's key: Ed25519
 * and RedDSA (which verifies as Ed25519 does), ECDSA, DSA-SHA1
 */
int	 ident_verify(const struct i2p_ident *, const void *, size_t,
	    const uint8_t *, size_t, struct i2p_err *);
int	 ident_equal(const struct i2p_ident *, const struct i2p_ident *);
/* string length written or -1 */
int	 ident_to_b64(const struct i2p_ident *, char *, size_t);
int	 ident_from_b64(struct i2p_ident *, const char *, enum ident_kind,
	    struct i2p_err *);
/* "<base32 of hash>.b32.i2p"; string length written or -1 */
int	 ident_b32(const struct i2p_ident *, char *, size_t);
/* "<52 base32>.b32.i2p", any case, to its hash; -1 if it is not one */
int	 b32_name_hash(const char *, uint8_t hash[I2P_HASH_LEN]);

/*
 * RouterAddress and RouterInfo
 */

#define RI_MAXLEN		3072	/* i2pd refuses larger */
/*
 * i2pd and Java publish at most NTCP2 and SSU2, each IPv4 and IPv6;
 * twice that leaves room for older styles.
 */
#define RI_MAX_ADDRS		8
#define RA_STYLESZ		256

struct router_address {
	uint8_t		 cost;
	uint64_t	 expiration;		/* ms; 0 in practice */
	char		 style[RA_STYLESZ];	/* "NTCP2", "SSU2" */
	struct mapping	 options;
};

struct router_info {
	struct i2p_ident	 ident;
	uint64_t		 published;	/* ms since the epoch */
	uint8_t			 naddrs;
	struct router_address	 addrs[RI_MAX_ADDRS];
	struct mapping		 options;
	uint8_t			 sig[I2P_SIG_MAXLEN];
	size_t			 siglen;
	uint8_t			 raw[RI_MAXLEN];
	size_t			 rawlen;	/* the whole RouterInfo */
	size_t			 signedlen;	/* bytes before the signature */
};

int	 ra_parse(struct router_address *, struct rbuf *, struct i2p_err *);
int	 ra_write(const struct router_address *, struct wbuf *);
/* structure only: the signature is checked by ri_verify */
int	 ri_parse(struct router_info *, const void *, size_t,
	    struct i2p_err *);
int	 ri_verify(const struct router_info *, struct i2p_err *);
/* everything before the signature, from the fields */
int	 ri_write_body(const struct router_info *, struct wbuf *);
/*
 * Serializes ident, published, addrs and options into raw, signs it
 * and checks the signature against the identity (a wrong key in the
 * signer shows up here, not at the peers).
 */
int	 ri_sign(struct router_info *, i2p_sign_fn, void *,
	    struct i2p_err *);
/* the first address of that style, or NULL */
const struct router_address *ri_find_addr(const struct router_info *,
	    const char *);

/*
 * Lease2, offline signature, LeaseSet2 (DatabaseStore type 3)
 */

#define LS2_MAXLEN		3072	/* as i2pd's MAX_LS_BUFFER_SIZE */
#define LS2_MAX_LEASES		16
#define LS2_MAX_KEYS		8
#define LS2_KEYDATA_MAX		2048
#define LS2_STORE_TYPE		3	/* prepended to the signed bytes */

#define LS2_F_OFFLINE		0x0001
#define LS2_F_UNPUBLISHED	0x0002
#define LS2_F_BLINDED		0x0004

struct lease2 {
	uint8_t		 gateway[I2P_HASH_LEN];
	uint32_t	 tunnel_id;
	uint32_t	 end_date;		/* s since the epoch */
};

/* OfflineSignature with an Ed25519 or RedDSA transient key */
struct offline_sig {
	uint32_t	 expires;		/* s since the epoch */
	uint16_t	 sigtype;		/* of the transient key */
	uint8_t		 transient_pub[32];
	uint8_t		 sig[I2P_SIG_MAXLEN];	/* by the destination */
};

struct ls2_key {
	uint16_t	 type;
	uint16_t	 len;
	uint16_t	 off;			/* into keydata */
};

struct leaseset2 {
	struct i2p_ident	 dest;
	uint32_t		 published;	/* s since the epoch */
	uint16_t		 expires;	/* s after published */
	uint16_t		 flags;		/* LS2_F_* */
	struct offline_sig	 offline;	/* if LS2_F_OFFLINE */
	struct mapping		 options;
	uint8_t			 nkeys;
	struct ls2_key		 keys[LS2_MAX_KEYS];
	uint8_t			 keydata[LS2_KEYDATA_MAX];
	uint16_t		 keydatalen;
	uint8_t			 nleases;
	struct lease2		 leases[LS2_MAX_LEASES];
	uint8_t			 sig[I2P_SIG_MAXLEN];
	size_t			 siglen;
	uint8_t			 raw[LS2_MAXLEN];
	size_t			 rawlen;	/* the whole LeaseSet2 */
	size_t			 signedlen;	/* bytes before the signature */
};

/* signs expires, sigtype 7 and the transient key with the dest's key */
int	 offline_sig_sign(struct offline_sig *, uint32_t,
	    const uint8_t transient_pub[32], i2p_sign_fn, void *,
	    struct i2p_err *);
/* checks the signature by dest and that expires is after now */
int	 offline_sig_verify(const struct offline_sig *,
	    const struct i2p_ident *, uint32_t, struct i2p_err *);

void	 ls2_init(struct leaseset2 *);
/* appends an encryption key; its length must match a known type */
int	 ls2_add_key(struct leaseset2 *, uint16_t, const void *, size_t,
	    struct i2p_err *);
/* the key of that type, or NULL */
const uint8_t *ls2_find_key(const struct leaseset2 *, uint16_t);
/* structure only: signatures are checked by ls2_verify */
int	 ls2_parse(struct leaseset2 *, const void *, size_t,
	    struct i2p_err *);
/*
 * Checks the offline signature (valid and unexpired at now, seconds
 * since the epoch) if there is one, then the LeaseSet2 signature by the
 * transient or destination key.  Lease and LeaseSet expiry are the
 * caller's policy.
 */
int	 ls2_verify(const struct leaseset2 *, uint32_t, struct i2p_err *);
int	 ls2_write_body(const struct leaseset2 *, struct wbuf *);
/*
 * Serializes the fields into raw and signs with sign: the transient
 * key's signer if LS2_F_OFFLINE is set (offline already filled in by
 * offline_sig_sign), else the destination's.
 */
int	 ls2_sign(struct leaseset2 *, i2p_sign_fn, void *, struct i2p_err *);

/*
 * The other LeaseSets a floodfill stores (DatabaseStore types 1, 5, 7).
 * As with LeaseSet2: *_parse checks structure only, *_verify the
 * signatures (the offline one too, unexpired at now), *_write_body
 * writes back everything before the signature.  The raw bytes are kept
 * for serving them again.
 */

/*
 * LeaseSet (type 1), of ElGamal destinations: destination, ElGamal key,
 * an unused signing key of the destination's type, leases with 8-byte
 * end dates in ms, a signature by the destination over all before it
 * (no type byte).  It has no published field: "the earliest expiration
 * of all the Leases is treated as the timestamp or version".
 */
#define LS1_STORE_TYPE		1
#define LS1_MAX_LEASES		16
#define LS1_ENCKEY_LEN		256

struct lease1 {
	uint8_t		 gateway[I2P_HASH_LEN];
	uint32_t	 tunnel_id;
	uint64_t	 end_date;		/* ms since the epoch */
};

struct leaseset1 {
	struct i2p_ident	 dest;
	uint8_t			 enc_key[LS1_ENCKEY_LEN];
	uint8_t			 sign_key[I2P_SIGPUB_MAXLEN];	/* unused */
	uint8_t			 nleases;
	struct lease1		 leases[LS1_MAX_LEASES];
	uint8_t			 sig[I2P_SIG_MAXLEN];
	size_t			 siglen;
	uint8_t			 raw[LS2_MAXLEN];
	size_t			 rawlen;
	size_t			 signedlen;
};

int	 ls1_parse(struct leaseset1 *, const void *, size_t, struct i2p_err *);
int	 ls1_verify(const struct leaseset1 *, struct i2p_err *);
int	 ls1_write_body(const struct leaseset1 *, struct wbuf *);
/* earliest and latest lease end (ms); -1 without leases */
int	 ls1_lease_range(const struct leaseset1 *, uint64_t *, uint64_t *);

/*
 * MetaLeaseSet (type 7): the LeaseSet2 header, options, entries that
 * name other LeaseSets (or gateways) instead of tunnels, revoked hashes;
 * signed over 0x07 || body.
 */
#define LSM_STORE_TYPE		7
/* a 3072-byte MetaLeaseSet holds at most 65 entries */
#define LSM_MAX_ENTRIES		64
#define LSM_MAX_REVOKED		64

struct meta_lease {
	uint8_t		 hash[I2P_HASH_LEN];
	uint32_t	 flags;			/* 24 bits; 3-0 entry type */
	uint8_t		 cost;
	uint32_t	 end_date;		/* s since the epoch */
};

struct meta_leaseset {
	struct i2p_ident	 dest;
	uint32_t		 published;
	uint16_t		 expires;
	uint16_t		 flags;		/* LS2_F_* */
	struct offline_sig	 offline;
	struct mapping		 options;
	uint8_t			 nentries;
	struct meta_lease	 entries[LSM_MAX_ENTRIES];
	uint8_t			 nrevoked;
	uint8_t			 revoked[LSM_MAX_REVOKED][I2P_HASH_LEN];
	uint8_t			 sig[I2P_SIG_MAXLEN];
	size_t			 siglen;
	uint8_t			 raw[LS2_MAXLEN];
	size_t			 rawlen;
	size_t			 signedlen;
};

int	 lsm_parse(struct meta_leaseset *, const void *, size_t,
	    struct i2p_err *);
int	 lsm_verify(const struct meta_leaseset *, uint32_t, struct i2p_err *);
int	 lsm_write_body(const struct meta_leaseset *, struct wbuf *);

/*
 * EncryptedLeaseSet (type 5): a blinded RedDSA key (sig type 11),
 * times, flags, an optional offline signature by the blinded key, the
 * encrypted data, a signature over 0x05 || body by the blinded or
 * transient key (encryptedleaseset.rst "Layer 0").  Its netDb key is
 * SHA-256(sig type || blinded key), kept in store_hash; a floodfill
 * cannot decrypt it and checks only the outer layer.
 */
#define LSE_STORE_TYPE		5

struct enc_leaseset {
	struct i2p_ident	 blinded;	/* sigtype and sign_pub only */
	uint32_t		 published;
	uint16_t		 expires;
	uint16_t		 flags;		/* LS2_F_OFFLINE, _UNPUBLISHED */
	struct offline_sig	 offline;
	uint16_t		 datalen;	/* encrypted, at raw + dataoff */
	uint16_t		 dataoff;
	uint8_t			 store_hash[I2P_HASH_LEN];
	uint8_t			 sig[I2P_SIG_MAXLEN];
	size_t			 siglen;
	uint8_t			 raw[LS2_MAXLEN];
	size_t			 rawlen;
	size_t			 signedlen;
};

int	 lse_parse(struct enc_leaseset *, const void *, size_t,
	    struct i2p_err *);
int	 lse_verify(const struct enc_leaseset *, uint32_t, struct i2p_err *);
int	 lse_write_body(const struct enc_leaseset *, struct wbuf *);

/*
 * I2NP message header: 16 bytes (type, id, expiration ms, size,
 * checksum) in tunnels and garlic; 9 bytes (type, id, expiration s) in
 * NTCP2, SSU2 and ECIES cloves, where the frame gives the size.
 */

#define I2NP_LONG_HDRLEN	16
#define I2NP_SHORT_HDRLEN	9
#define I2NP_MAX_PAYLOAD	65535

enum i2np_type {
	I2NP_DATABASE_STORE = 1,
	I2NP_DATABASE_LOOKUP = 2,
	I2NP_DATABASE_SEARCH_REPLY = 3,
	I2NP_DELIVERY_STATUS = 10,
	I2NP_GARLIC = 11,
	I2NP_TUNNEL_DATA = 18,
	I2NP_TUNNEL_GATEWAY = 19,
	I2NP_DATA = 20,
	I2NP_TUNNEL_BUILD = 21,
	I2NP_TUNNEL_BUILD_REPLY = 22,
	I2NP_VARIABLE_TUNNEL_BUILD = 23,
	I2NP_VARIABLE_TUNNEL_BUILD_REPLY = 24,
	I2NP_SHORT_TUNNEL_BUILD = 25,
	I2NP_OUTBOUND_TUNNEL_BUILD_REPLY = 26
};

struct i2np_hdr {
	uint8_t		 type;
	uint32_t	 msg_id;
	uint64_t	 expiration;	/* ms; short form: s * 1000 */
	uint16_t	 size;		/* payload bytes */
	uint8_t		 chks;		/* long form only */
};

/* "DatabaseStore", ... or NULL for a type not in the table */
const char	*i2np_type_name(unsigned);
/* first byte of SHA-256 of the payload */
int	 i2np_checksum(const void *, size_t, uint8_t *);

/* headers alone; the caller reads the payload */
int	 i2np_hdr_parse_long(struct i2np_hdr *, struct rbuf *,
	    struct i2p_err *);
int	 i2np_hdr_parse_short(struct i2np_hdr *, struct rbuf *,
	    struct i2p_err *);
int	 i2np_hdr_write_long(const struct i2np_hdr *, struct wbuf *);
/* the expiration rounded down to seconds; -1 past 2106 */
int	 i2np_hdr_write_short(const struct i2np_hdr *, struct wbuf *);

/*
 * Whole messages.  The long form must hold exactly size payload bytes;
 * the checksum is not checked (i2pd zeroes it when it converts from the
 * short form) -- use i2np_checksum where it matters.  The short form's
 * payload is the rest of the buffer (at most 65535 bytes).  payload is
 * a reader over the payload bytes inside the input.
 */
int	 i2np_msg_parse_long(struct i2np_hdr *, struct rbuf *, const void *,
	    size_t, struct i2p_err *);
int	 i2np_msg_parse_short(struct i2np_hdr *, struct rbuf *, const void *,
	    size_t, struct i2p_err *);
/*
 * 1 if the message expired longer than I2NP_SKEW_MS before now (ms):
 * whoever sent it has given up on it, and clocks differ by that much.
 */
#define I2NP_SKEW_MS		(60 * 1000)
int	 i2np_expired(const struct i2np_hdr *, uint64_t now_ms);
/* sets hdr->size and hdr->chks from the payload */
int	 i2np_msg_write_long(struct i2np_hdr *, const void *, size_t,
	    struct wbuf *);
int	 i2np_msg_write_short(struct i2np_hdr *, const void *, size_t,
	    struct wbuf *);

#endif /* I2PRD_I2PDATA_H */
