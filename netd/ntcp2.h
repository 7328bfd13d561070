/*
 * NTCP2 (ntcp2.rst): the handshake and the data phase as pure functions
 * over bytes, no I/O and no event loop, so they can be tested alone and
 * driven by netd's sessions.
 *
 * Each side needs exactly one DH with its own static key, which only
 * cryptod holds: Bob's "es" when message 1 arrives, Alice's "se" before
 * she can write message 3.  The handshake therefore stops with
 * NTCP2_NEED_DH, naming the public key, and resumes when the caller
 * hands in cryptod's answer.  Ephemeral keys live here and are wiped.
 */
#ifndef I2PRD_NTCP2_H
#define I2PRD_NTCP2_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"

#define NTCP2_MSG1_LEN		64	/* X, then encrypted options + tag */
#define NTCP2_MSG2_LEN		64	/* Y, then encrypted options + tag */
#define NTCP2_MSG3P1_LEN	48	/* encrypted static key + tag */
#define NTCP2_PAD_MAX		223	/* i2pd: msgs 1 and 2 at most 287 */
#define NTCP2_SKEW_MAX		60	/* seconds, as i2pd */
#define NTCP2_FRAME_MAX		65535	/* length field, tag included */
#define NTCP2_FRAME_OVERHEAD	(2 + POLY1305_TAG_LEN)

/* what a call needs next */
enum ntcp2_status {
	NTCP2_OK = 0,		/* step done */
	NTCP2_NEED_DH,		/* call the matching _dh function first */
	NTCP2_ERROR = -1	/* see the termination reason */
};

/* termination reasons (ntcp2.rst, Termination block) */
enum ntcp2_reason {
	NTCP2_R_NORMAL = 0,
	NTCP2_R_TERMINATION_RECEIVED = 1,
	NTCP2_R_IDLE_TIMEOUT = 2,
	NTCP2_R_ROUTER_SHUTDOWN = 3,
	NTCP2_R_DATA_AEAD_FAILURE = 4,
	NTCP2_R_INCOMPATIBLE_OPTIONS = 5,
	NTCP2_R_INCOMPATIBLE_SIGTYPE = 6,
	NTCP2_R_CLOCK_SKEW = 7,
	NTCP2_R_PADDING_VIOLATION = 8,
	NTCP2_R_AEAD_FRAMING_ERROR = 9,
	NTCP2_R_PAYLOAD_FORMAT_ERROR = 10,
	NTCP2_R_MSG1_ERROR = 11,
	NTCP2_R_MSG2_ERROR = 12,
	NTCP2_R_MSG3_ERROR = 13,
	NTCP2_R_FRAME_TIMEOUT = 14,
	NTCP2_R_RI_SIG_FAILURE = 15,
	NTCP2_R_S_MISMATCH = 16,
	NTCP2_R_BANNED = 17
};

/* this router, as NTCP2 needs it */
struct ntcp2_local {
	uint8_t		 hash[32];	/* our router hash: Bob's AES key */
	uint8_t		 static_pub[32];	/* published as "s" */
	uint8_t		 iv[16];	/* published as "i" */
	uint8_t		 netid;
	const uint8_t	*ri;		/* our RouterInfo, for message 3 */
	size_t		 rilen;
};

/* the peer Alice dials, from its RouterInfo */
struct ntcp2_remote {
	uint8_t		 hash[32];
	uint8_t		 static_pub[32];	/* its "s" */
	uint8_t		 iv[16];	/* its "i" */
};

/* the data phase keys of an established session, one per direction */
struct ntcp2_dir {
	uint8_t		 k[32];		/* ChaCha20-Poly1305 key */
	uint64_t	 n;		/* next nonce */
	uint8_t		 sip[16];	/* SipHash k1 || k2 */
	uint8_t		 sip_iv[8];	/* the running IV for lengths */
};

struct ntcp2_session {
	struct ntcp2_dir send;
	struct ntcp2_dir recv;
	uint8_t		 remote_hash[32];	/* from message 3 (Bob) */
};

/* opaque handshake state; ntcp2_hs_new/free */
struct ntcp2_hs;

struct ntcp2_hs *ntcp2_hs_new(void);
void	 ntcp2_hs_free(struct ntcp2_hs *);		/* wipes */
enum ntcp2_reason ntcp2_hs_reason(const struct ntcp2_hs *);
/* set the clock for tests; 0 uses time(3) */
void	 ntcp2_hs_set_time(struct ntcp2_hs *, uint32_t);

/*
 * Alice.  start writes message 1 (with padding) to out.  msg2 takes
 * the first NTCP2_MSG2_LEN bytes of message 2 and tells how much
 * padding follows; msg2_padding takes that padding.  Then NEED_DH: the
 * caller asks cryptod for DH(our static key, *dh_pub) and passes it to
 * msg3, which writes message 3 and fills the session.
 */
int	 ntcp2_alice_start(struct ntcp2_hs *, const struct ntcp2_local *,
	    const struct ntcp2_remote *, struct wbuf *out);
int	 ntcp2_alice_msg2(struct ntcp2_hs *, const uint8_t *, size_t *padlen);
int	 ntcp2_alice_msg2_padding(struct ntcp2_hs *, const uint8_t *, size_t,
	    uint8_t dh_pub[32]);
int	 ntcp2_alice_msg3(struct ntcp2_hs *, const uint8_t dh[32],
	    struct wbuf *out, struct ntcp2_session *);

/*
 * Bob.  msg1 takes the first NTCP2_MSG1_LEN bytes and returns NEED_DH
 * with Alice's ephemeral key in dh_pub; msg1_dh takes cryptod's answer,
 * checks the options and tells the padding length; msg1_padding takes
 * the padding and writes message 2 to out and tells message 3's total
 * length.  msg3 takes all of message 3, checks it and fills the session
 * and Alice's RouterInfo (pointer into the given bytes, after the block
 * flag byte).
 */
int	 ntcp2_bob_msg1(struct ntcp2_hs *, const struct ntcp2_local *,
	    const uint8_t *, uint8_t dh_pub[32]);
int	 ntcp2_bob_msg1_dh(struct ntcp2_hs *, const uint8_t dh[32],
	    size_t *padlen);
int	 ntcp2_bob_msg1_padding(struct ntcp2_hs *, const uint8_t *, size_t,
	    struct wbuf *out, size_t *msg3len);
int	 ntcp2_bob_msg3(struct ntcp2_hs *, uint8_t *, size_t,
	    struct ntcp2_session *, const uint8_t **ri, size_t *rilen);
/* Alice's ephemeral key from message 1, for the replay filter */
const uint8_t *ntcp2_bob_ephemeral(const struct ntcp2_hs *);

/*
 * Data phase.  A frame is a 2-byte length, XORed with the low 16 bits
 * of the running SipHash IV, then the AEAD of the blocks.
 * frame_len deobfuscates the next frame's length (advancing the IV);
 * frame_open decrypts that many bytes in place; frame_seal writes a
 * whole frame.
 */
int	 ntcp2_frame_len(struct ntcp2_dir *, const uint8_t hdr[2], size_t *);
int	 ntcp2_frame_open(struct ntcp2_dir *, uint8_t *, size_t, size_t *);
int	 ntcp2_frame_seal(struct ntcp2_dir *, const uint8_t *, size_t,
	    struct wbuf *out);
void	 ntcp2_session_wipe(struct ntcp2_session *);

/* blocks (ntcp2.rst "Payload"): builders append to a wbuf */
enum ntcp2_block {
	NTCP2_B_DATETIME = 0,
	NTCP2_B_OPTIONS = 1,
	NTCP2_B_ROUTERINFO = 2,
	NTCP2_B_I2NP = 3,
	NTCP2_B_TERMINATION = 4,
	NTCP2_B_PADDING = 254
};

int	 ntcp2_put_datetime(struct wbuf *, uint32_t);
int	 ntcp2_put_routerinfo(struct wbuf *, const uint8_t *, size_t, int flood);
/* an I2NP message in the 9-byte-header form, given whole */
int	 ntcp2_put_i2np(struct wbuf *, const uint8_t *, size_t);
int	 ntcp2_put_termination(struct wbuf *, uint64_t frames, uint8_t reason);
int	 ntcp2_put_padding(struct wbuf *, size_t);

/*
 * Walks the blocks of a decrypted frame, calling cb for each with its
 * type and body; strict: sizes within the frame, padding only last.
 * Returns 0, -1 on a format error, or cb's non-zero return.
 */
typedef int (*ntcp2_block_cb)(void *, uint8_t, const uint8_t *, size_t);
int	 ntcp2_blocks(const uint8_t *, size_t, ntcp2_block_cb, void *);

#endif /* I2PRD_NTCP2_H */
