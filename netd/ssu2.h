/*
 * SSU2 (ssu2.rst): packet headers, the handshake, the data phase and
 * the payload blocks as pure functions over bytes.  No sockets, no
 * event loop, no IPC: netd's UDP glue drives these and owns timers,
 * retransmission, token tables and replay filters.
 *
 * As for NTCP2 (ntcp2.h), the two DHs with our static key are cryptod's:
 * Bob's "es" when a Session Request arrives, Alice's "se" before she
 * can write Session Confirmed.  The handshake stops with SSU2_NEED_DH,
 * naming the public key, and resumes with cryptod's answer.  Ephemeral
 * keys live here and are wiped.
 */
#ifndef I2PRD_SSU2_H
#define I2PRD_SSU2_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"

#define SSU2_SHORT_HDR		16
#define SSU2_LONG_HDR		32
#define SSU2_EPH_HDR		64	/* long header, then X or Y */
#define SSU2_PAYLOAD_MIN	8	/* so the masks' 24 bytes are data */
#define SSU2_PKT_MIN		(SSU2_SHORT_HDR + SSU2_PAYLOAD_MIN + \
				 POLY1305_TAG_LEN)
/* i2pd's receive buffer; nothing longer is an SSU2 packet */
#define SSU2_PKT_MAX		1500
#define SSU2_MTU_MIN		1280
/*
 * The smallest packet we size for (ssu2_local's mtu): the smallest MTU
 * over IPv6, less its 40-byte IP and 8-byte UDP headers
 */
#define SSU2_UDP_MIN		(SSU2_MTU_MIN - 48)
#define SSU2_VERSION		2
#define SSU2_SKEW_MAX		60	/* seconds, as i2pd */
/* i2pd sends and accepts at most two Session Confirmed fragments */
#define SSU2_CONFIRMED_FRAGS	2
/* a Session Confirmed payload: what two packets can carry */
#define SSU2_CONFIRMED_MAX	(SSU2_CONFIRMED_FRAGS * \
				 (SSU2_PKT_MAX - SSU2_SHORT_HDR))
/* ACK ranges we decode or encode; older ones are forgotten */
#define SSU2_ACK_RANGES_MAX	64
#define SSU2_FRAG_NUM_MAX	127	/* Follow-on Fragment numbers */

enum ssu2_type {
	SSU2_SESSION_REQUEST = 0,
	SSU2_SESSION_CREATED = 1,
	SSU2_SESSION_CONFIRMED = 2,
	SSU2_DATA = 6,
	SSU2_PEER_TEST = 7,
	SSU2_RETRY = 9,
	SSU2_TOKEN_REQUEST = 10,
	SSU2_HOLE_PUNCH = 11
};

/* Data header flag: the peer asks for an immediate ACK */
#define SSU2_FLAG_IMMEDIATE_ACK	0x01

/* what a handshake call needs next */
enum ssu2_status {
	SSU2_OK = 0,
	SSU2_NEED_DH,		/* ask cryptod, call the matching _dh step */
	SSU2_AGAIN,		/* not for this step (wait, or try another) */
	SSU2_ERROR = -1		/* see ssu2_hs_reason */
};

/* termination reasons (ssu2.rst, Termination block) */
enum ssu2_reason {
	SSU2_R_NORMAL = 0,
	SSU2_R_TERMINATION_RECEIVED = 1,
	SSU2_R_IDLE_TIMEOUT = 2,
	SSU2_R_ROUTER_SHUTDOWN = 3,
	SSU2_R_DATA_AEAD_FAILURE = 4,
	SSU2_R_INCOMPATIBLE_OPTIONS = 5,
	SSU2_R_INCOMPATIBLE_SIGTYPE = 6,
	SSU2_R_CLOCK_SKEW = 7,
	SSU2_R_PADDING_VIOLATION = 8,
	SSU2_R_AEAD_FRAMING_ERROR = 9,
	SSU2_R_PAYLOAD_FORMAT_ERROR = 10,
	SSU2_R_REQUEST_ERROR = 11,
	SSU2_R_CREATED_ERROR = 12,
	SSU2_R_CONFIRMED_ERROR = 13,
	SSU2_R_TIMEOUT = 14,
	SSU2_R_RI_SIG_FAILURE = 15,
	SSU2_R_S_MISMATCH = 16,
	SSU2_R_BANNED = 17,
	SSU2_R_BAD_TOKEN = 18,
	SSU2_R_CONNECTION_LIMITS = 19,
	SSU2_R_INCOMPATIBLE_VERSION = 20,
	SSU2_R_WRONG_NETID = 21,
	SSU2_R_REPLACED = 22
};

/*
 * Headers (ssu2.rst "Packet Header").  All headers share the first 13
 * bytes; flags[] is the rest of the second 8 bytes: in a long header
 * version, net ID and an unused flag; in Session Confirmed the frag
 * byte; in Data the flag byte.  src_id and token exist in long
 * headers only.  Connection IDs and the token are opaque 8 bytes
 * (i2pd copies them in host order); we read them big-endian.
 */
struct ssu2_hdr {
	uint64_t	 dst_id;
	uint32_t	 pkt_num;
	uint8_t		 type;
	uint8_t		 flags[3];
	uint64_t	 src_id;
	uint64_t	 token;
};

/* 1 if that message type has a 32-byte header */
int	 ssu2_is_long(uint8_t type);
/* writes the plaintext header (16 or 32 bytes, by type) */
int	 ssu2_hdr_put(struct wbuf *, const struct ssu2_hdr *);
/*
 * Header protection (ssu2.rst "Header Encryption KDF").  seal works in
 * place on a packet whose header is plaintext and whose payload is
 * already encrypted: bytes 0-15 XORed with two ChaCha20 masks made
 * from the last 24 bytes, then for long headers bytes 16-31 (16-63
 * with X or Y) encrypted with k2.  open leaves the packet alone and
 * writes the plaintext header (and X/Y) to plain, returning its length
 * (16, 32 or 64), or -1 if the packet is too short for its type.
 * peek_id only unmasks the Destination Connection ID (k1 alone).
 */
int	 ssu2_hdr_seal(uint8_t *pkt, size_t len, const uint8_t k1[32],
	    const uint8_t k2[32]);
int	 ssu2_hdr_open(const uint8_t *pkt, size_t len, const uint8_t k1[32],
	    const uint8_t k2[32], uint8_t plain[SSU2_EPH_HDR],
	    struct ssu2_hdr *);
int	 ssu2_hdr_peek_id(const uint8_t *pkt, size_t len,
	    const uint8_t k1[32], uint64_t *dst_id);

/*
 * Messages outside Noise: Token Request, Retry, Peer Test (5-7) and
 * Hole Punch, each one AEAD keyed with an intro key (ssu2_long.c).
 * seal writes the whole packet (payload at least 8 bytes); open checks
 * the type and decrypts into plain, SSU2_PKT_MAX bytes.  check tells
 * whether a long header's version and net ID are ours.  Peer Test and
 * Hole Punch take their connection IDs from the test or relay nonce.
 */
int	 ssu2_long_seal(const struct ssu2_hdr *, const uint8_t key[32],
	    const uint8_t *payload, size_t plen, struct wbuf *out);
int	 ssu2_long_open(const uint8_t *pkt, size_t len, const uint8_t key[32],
	    uint8_t type, struct ssu2_hdr *, uint8_t plain[SSU2_PKT_MAX],
	    size_t *plen);
enum ssu2_reason ssu2_long_check(const struct ssu2_hdr *, uint8_t netid);
void	 ssu2_nonce_ids(uint32_t nonce, uint64_t *dst, uint64_t *src);

/* an IP endpoint as the Address and relay/peer test blocks carry it */
struct ssu2_addr {
	uint16_t	 port;
	uint8_t		 iplen;		/* 4 or 16; 0 if absent */
	uint8_t		 ip[16];
};

/* this router, as SSU2 needs it */
struct ssu2_local {
	uint8_t		 static_pub[32];	/* published as "s" */
	uint8_t		 intro_key[32];		/* published as "i" */
	uint8_t		 netid;
	const uint8_t	*ri;		/* our RouterInfo, for Confirmed */
	size_t		 rilen;
	uint8_t		 ri_flag;	/* SSU2_RI_GZIP if ri is gzipped */
	int		 relay_tag_req;	/* Alice: ask Bob for a relay tag */
	size_t		 mtu;		/* largest packet we send (UDP) */
};

/* the Bob Alice dials, from its RouterInfo's SSU2 address */
struct ssu2_remote {
	uint8_t		 static_pub[32];
	uint8_t		 intro_key[32];
};

/* one direction of an established session */
struct ssu2_dir {
	uint8_t		 k[32];		/* k_data */
	uint8_t		 hk1[32];	/* k_header_1: receiver's intro key */
	uint8_t		 hk2[32];	/* k_header_2 from the data KDF */
	uint64_t	 conn_id;	/* Destination Connection ID */
};

struct ssu2_session {
	struct ssu2_dir	 send;
	struct ssu2_dir	 recv;
	uint32_t	 send_pn;	/* next packet number to send */
	uint8_t		 remote_static[32];
	uint8_t		 remote_hash[32];	/* Bob: Alice's; Alice: unset */
};

/* what the handshake learnt beside keys, for the glue */
struct ssu2_hs_info {
	uint64_t	 token;		/* Retry: for our Session Request */
	uint64_t	 new_token;	/* New Token block, 0 if none */
	uint32_t	 new_token_exp;
	uint32_t	 relay_tag;	/* Relay Tag block, 0 if none */
	int		 relay_tag_req;	/* Relay Tag Request seen */
	struct ssu2_addr addr;	/* Address block: how the peer sees us */
	uint32_t	 peer_time;	/* DateTime block */
};

struct ssu2_hs;

struct ssu2_hs *ssu2_hs_new(void);
void	 ssu2_hs_free(struct ssu2_hs *);		/* wipes */
enum ssu2_reason ssu2_hs_reason(const struct ssu2_hs *);
const struct ssu2_hs_info *ssu2_hs_info(const struct ssu2_hs *);
/* set the clock for tests; 0 uses time(3) */
void	 ssu2_hs_set_time(struct ssu2_hs *, uint32_t);
/* the peer's ephemeral key (X at Bob), for the replay filter */
const uint8_t *ssu2_hs_peer_ephemeral(const struct ssu2_hs *);

/*
 * Alice.  start picks the connection IDs.  Then either token_request,
 * and retry on Bob's answer (the token lands in the info), or straight
 * request with a token from an earlier New Token block.  Bob answers a
 * Session Request with Created or Retry: created returns SSU2_AGAIN
 * without changing anything if the packet is not Created, and retry is
 * tried next.  created returns NEED_DH with Y; confirmed takes DH(our
 * static key, Y) and writes Session Confirmed in one or two packets
 * (frag1 stays empty if one fits local->mtu), then fills the session.
 */
int	 ssu2_alice_start(struct ssu2_hs *, const struct ssu2_local *,
	    const struct ssu2_remote *);
int	 ssu2_alice_token_request(struct ssu2_hs *, struct wbuf *out);
int	 ssu2_alice_retry(struct ssu2_hs *, const uint8_t *, size_t);
int	 ssu2_alice_request(struct ssu2_hs *, uint64_t token,
	    struct wbuf *out);
int	 ssu2_alice_created(struct ssu2_hs *, const uint8_t *, size_t,
	    uint8_t dh_pub[32]);
int	 ssu2_alice_confirmed(struct ssu2_hs *, const uint8_t dh[32],
	    struct wbuf *frag0, struct wbuf *frag1, struct ssu2_session *);

/*
 * Bob.  A first packet from an unknown peer is opened with our intro
 * key (ssu2_hdr_open) to learn its type.  A Token Request is checked
 * statelessly by bob_token_request and answered by bob_retry, as is a
 * Session Request whose token the glue does not know.  bob_request
 * takes a Session Request, tells its token (for the glue to check
 * before paying for a DH) and returns NEED_DH with X; request_dh
 * takes DH(our static key, X) and checks the payload (a clock skew
 * fails with SSU2_R_CLOCK_SKEW: answer with a Retry naming it).
 * bob_created writes Session Created.  bob_confirmed takes each
 * Session Confirmed packet, SSU2_AGAIN until all fragments are in,
 * then checks Alice's RouterInfo (signed, our network, an SSU2 address
 * with her static key and an intro key) and fills the session; *ri
 * points into the handshake (valid until it is freed), inflated.
 */
int	 ssu2_bob_token_request(const struct ssu2_local *, const uint8_t *,
	    size_t, uint32_t now, struct ssu2_hdr *);
int	 ssu2_bob_retry(const struct ssu2_local *, const struct ssu2_hdr *req,
	    uint64_t token, enum ssu2_reason, const struct ssu2_addr *alice,
	    uint32_t now, struct wbuf *out);
int	 ssu2_bob_request(struct ssu2_hs *, const struct ssu2_local *,
	    const uint8_t *, size_t, uint64_t *token, uint8_t dh_pub[32]);
int	 ssu2_bob_request_dh(struct ssu2_hs *, const uint8_t dh[32]);
/*
 * A New Token block for Alice's next dial, sent in Created as i2pd
 * does (Confirmed tells Created arrived); 0 sends none
 */
void	 ssu2_bob_new_token(struct ssu2_hs *, uint64_t token,
	    uint32_t expires);
/* Alice's Session Request again (our Created lost), not Confirmed */
int	 ssu2_bob_is_request(const struct ssu2_hs *, const uint8_t intro[32],
	    const uint8_t *, size_t);
int	 ssu2_bob_created(struct ssu2_hs *, const struct ssu2_addr *alice,
	    uint32_t relay_tag, struct wbuf *out);
int	 ssu2_bob_confirmed(struct ssu2_hs *, const uint8_t *, size_t,
	    struct ssu2_session *, const uint8_t **ri, size_t *rilen);

/*
 * Data phase (ssu2.rst "KDF for data phase", "Data Message").  seal
 * writes a whole Data packet with the next packet number (returned in
 * *pn); open checks and decrypts one in place, the payload a view into
 * pkt.  Duplicates and the ACK state are the caller's.
 */
int	 ssu2_data_keys(struct ssu2_session *, const uint8_t ck[32],
	    int alice);
int	 ssu2_data_seal(struct ssu2_session *, uint8_t flags,
	    const uint8_t *payload, size_t len, struct wbuf *out,
	    uint32_t *pn);
int	 ssu2_data_open(const struct ssu2_session *, uint8_t *pkt, size_t len,
	    struct ssu2_hdr *, const uint8_t **payload, size_t *plen);
void	 ssu2_session_wipe(struct ssu2_session *);

/* blocks (ssu2.rst "Noise Payload") */
enum ssu2_block {
	SSU2_B_DATETIME = 0,
	SSU2_B_OPTIONS = 1,
	SSU2_B_ROUTERINFO = 2,
	SSU2_B_I2NP = 3,
	SSU2_B_FIRST_FRAG = 4,
	SSU2_B_FOLLOW_FRAG = 5,
	SSU2_B_TERMINATION = 6,
	SSU2_B_RELAY_REQUEST = 7,
	SSU2_B_RELAY_RESPONSE = 8,
	SSU2_B_RELAY_INTRO = 9,
	SSU2_B_PEER_TEST = 10,
	SSU2_B_ACK = 12,
	SSU2_B_ADDRESS = 13,
	SSU2_B_RELAY_TAG_REQUEST = 15,
	SSU2_B_RELAY_TAG = 16,
	SSU2_B_NEW_TOKEN = 17,
	SSU2_B_PATH_CHALLENGE = 18,
	SSU2_B_PATH_RESPONSE = 19,
	SSU2_B_FIRST_PN = 20,
	SSU2_B_CONGESTION = 21,
	SSU2_B_PADDING = 254
};

#define SSU2_RI_FLOOD		0x01
#define SSU2_RI_GZIP		0x02

struct ssu2_options {
	uint8_t		 tmin, tmax, rmin, rmax;	/* 4.4 fixed point */
	uint16_t	 tdmy, rdmy, tdelay, rdelay;
	const uint8_t	*more;		/* unspecified extensions */
	size_t		 morelen;
};

/* I2NP (type 3) and First Fragment (4): the 9-byte short header */
struct ssu2_i2np {
	uint8_t		 type;
	uint32_t	 msg_id;
	uint32_t	 expires;	/* seconds */
	const uint8_t	*body;
	size_t		 bodylen;
};

struct ssu2_follow {
	uint8_t		 num;		/* 1-127 */
	int		 last;
	uint32_t	 msg_id;
	const uint8_t	*body;
	size_t		 bodylen;
};

struct ssu2_term {
	uint64_t	 received;	/* valid data packets received */
	uint8_t		 reason;
	const uint8_t	*addl;
	size_t		 addllen;
};

/*
 * Relay Request (7) and Relay Intro (9; with Alice's hash), Relay
 * Response (8; token only with code 0), Peer Test (10; hash in
 * messages 2 and 4).  signed_data/signed_len is the part the
 * signature covers after the spec's prologue and hashes; the
 * signature is what follows it, its length the signer's type's.
 */
struct ssu2_relay {
	uint8_t		 flag;
	uint8_t		 code;		/* Response */
	uint8_t		 hash[32];	/* Intro: Alice's router hash */
	uint32_t	 nonce;
	uint32_t	 tag;		/* Request, Intro */
	uint32_t	 ts;
	uint8_t		 ver;
	struct ssu2_addr addr;		/* Alice's, or Charlie's */
	uint64_t	 token;		/* Response, code 0 */
	const uint8_t	*signed_data;
	size_t		 signed_len;
	const uint8_t	*sig;
	size_t		 siglen;
};

struct ssu2_peertest {
	uint8_t		 msg;		/* 1-7 */
	uint8_t		 code;
	uint8_t		 flag;
	uint8_t		 hash[32];	/* messages 2 and 4 */
	uint8_t		 ver;
	uint32_t	 nonce;
	uint32_t	 ts;
	struct ssu2_addr addr;		/* Alice's */
	const uint8_t	*signed_data;
	size_t		 signed_len;
	const uint8_t	*sig;		/* may be empty in 5-7 */
	size_t		 siglen;
};

struct ssu2_ack {
	uint32_t	 through;
	uint8_t		 acnt;
	size_t		 nranges;
	uint8_t		 nack[SSU2_ACK_RANGES_MAX];
	uint8_t		 ack[SSU2_ACK_RANGES_MAX];
};

/* one block, decoded; pointers are views into the payload */
struct ssu2_blk {
	uint8_t		 type;
	union {
		uint32_t		 datetime;
		struct ssu2_options	 options;
		struct {
			uint8_t		 flag;
			uint8_t		 frag;
			const uint8_t	*data;
			size_t		 len;
		}			 ri;
		struct ssu2_i2np	 i2np;		/* 3 and 4 */
		struct ssu2_follow	 follow;
		struct ssu2_term	 term;
		struct ssu2_relay	 relay;		/* 7, 8, 9 */
		struct ssu2_peertest	 peertest;
		struct ssu2_ack		 ack;
		struct ssu2_addr	 addr;
		uint32_t		 relay_tag;
		struct {
			uint32_t	 expires;
			uint64_t	 token;
		}			 new_token;
		struct {
			const uint8_t	*data;
			size_t		 len;
		}			 path;		/* 18, 19 */
		uint32_t		 first_pn;
		uint8_t			 congestion;
	} u;
};

/*
 * A RouterInfo block's RouterInfo into out (cap bytes): copied, or
 * inflated if flag says gzip; -1 unless it fits, and a gzipped one is
 * one whole gzip member with nothing after it (ssu2_hs.c)
 */
int	 ssu2_ri_plain(uint8_t flag, const uint8_t *, size_t, uint8_t *out,
	    size_t cap, size_t *outlen);

/* decodes one block's body; -1 if malformed, 1 if the type is unknown */
int	 ssu2_blk_parse(uint8_t type, const uint8_t *, size_t,
	    struct ssu2_blk *);

/*
 * Walks a decrypted payload, calling cb for each known block with its
 * type and body.  Unknown types are skipped, as the spec asks.
 * Strict: sizes within the payload, Padding only last and once,
 * Termination last but for Padding.  Returns 0, -1 on a format error,
 * or cb's non-zero return.
 */
typedef int (*ssu2_block_cb)(void *, uint8_t, const uint8_t *, size_t);
int	 ssu2_blocks(const uint8_t *, size_t, ssu2_block_cb, void *);

/* builders: each appends one whole block */
int	 ssu2_put_datetime(struct wbuf *, uint32_t);
int	 ssu2_put_options(struct wbuf *, const struct ssu2_options *);
int	 ssu2_put_routerinfo(struct wbuf *, uint8_t flag, const uint8_t *,
	    size_t);
int	 ssu2_put_i2np(struct wbuf *, uint8_t blk, const struct ssu2_i2np *);
int	 ssu2_put_follow(struct wbuf *, const struct ssu2_follow *);
int	 ssu2_put_termination(struct wbuf *, uint64_t received,
	    uint8_t reason);
int	 ssu2_put_relay(struct wbuf *, uint8_t blk, const struct ssu2_relay *);
int	 ssu2_put_peertest(struct wbuf *, const struct ssu2_peertest *);
int	 ssu2_put_ack(struct wbuf *, const struct ssu2_ack *);
int	 ssu2_put_address(struct wbuf *, const struct ssu2_addr *);
int	 ssu2_put_relay_tag_request(struct wbuf *);
int	 ssu2_put_relay_tag(struct wbuf *, uint32_t);
int	 ssu2_put_new_token(struct wbuf *, uint32_t expires, uint64_t token);
int	 ssu2_put_path(struct wbuf *, uint8_t blk, const uint8_t *, size_t);
int	 ssu2_put_first_pn(struct wbuf *, uint32_t);
int	 ssu2_put_congestion(struct wbuf *, uint8_t);
int	 ssu2_put_padding(struct wbuf *, size_t);
/*
 * The bytes a relay or peer test signature covers, as the glue hands
 * them to cryptod: the fields from nonce (peer test: ver) to the IP.
 */
int	 ssu2_relay_signed(struct wbuf *, uint8_t blk,
	    const struct ssu2_relay *);
int	 ssu2_peertest_signed(struct wbuf *, const struct ssu2_peertest *);

/*
 * Peer Test (ssu2_ptest.c).  sigdata writes what Alice (ahash NULL:
 * message 1) or Charlie (ahash Alice's: message 3) signs: the
 * prologue, Bob's hash, Alice's for Charlie, and the block's signed
 * fields; verify checks t's signature with the signer's identity.
 * seal writes message 5, 6 or 7 sealed with the receiver's intro key
 * (addr: how we see the receiver, for 6 and 7 only, NULL for 5); open
 * takes one sealed with ours, checking type, version, net ID, a Peer
 * Test block of message 5-7 and the connection IDs its nonce gives.
 */
/* prologue, Bob and Alice hashes, ver to asz, port and IPv6 */
#define SSU2_PT_SIGDATA_MAX	(16 + 32 + 32 + 10 + 18)
struct i2p_ident;
struct ssu2_pt_msg {
	struct ssu2_hdr		 h;
	uint32_t		 ts;		/* DateTime, 0 if none */
	struct ssu2_addr	 addr;		/* iplen 0 if none */
	int			 have_pt;
	struct ssu2_peertest	 pt;		/* views into plain */
	uint8_t			 plain[SSU2_PKT_MAX];
};
int	 ssu2_pt_sigdata(struct wbuf *, const uint8_t bhash[32],
	    const uint8_t *ahash, const struct ssu2_peertest *);
int	 ssu2_pt_verify(const struct i2p_ident *, const uint8_t bhash[32],
	    const uint8_t *ahash, const struct ssu2_peertest *);
int	 ssu2_pt_seal(uint8_t netid, const uint8_t key[32], uint32_t pkt_num,
	    const struct ssu2_peertest *, const struct ssu2_addr *addr,
	    uint32_t now, struct wbuf *out);
int	 ssu2_pt_open(const uint8_t *pkt, size_t len, const uint8_t key[32],
	    uint8_t netid, struct ssu2_pt_msg *);

/*
 * ACKs.  build encodes the received packet numbers pns (strictly
 * descending) into through, acnt and at most maxranges ranges (at most
 * SSU2_ACK_RANGES_MAX); what does not fit is left out, oldest first.
 * has tells whether a decoded ACK acknowledges pn.
 */
int	 ssu2_ack_build(struct ssu2_ack *, const uint32_t *pns, size_t n,
	    size_t maxranges);
int	 ssu2_ack_has(const struct ssu2_ack *, uint32_t pn);

#endif /* I2PRD_SSU2_H */
