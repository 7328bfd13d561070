/*
 * ECIES-X25519-AEAD-Ratchet (ecies.rst): the end-to-end sessions between
 * our local destinations and remote ones.  A pure library: no I/O, no
 * IPC, no clock (every call that needs the time takes now, in seconds
 * since the epoch), no static state.
 *
 * Module map:
 *   ratchet_tagset.c   DH_INITIALIZE, the session tag and symmetric key
 *                      chains, receive windows (look-ahead and trimming)
 *   ratchet_ns.c       New Session: writing (Alice) and the three-step
 *                      opening (Bob) around cryptod's static-key DH
 *   ratchet_session.c  sealing: NSR and ES, payloads, the blocks that
 *                      a session acts on
 *   ratchet_open.c     opening NSR and ES, tag lookup, expiry, freeing
 *   ratchet_dh.c       the DH ratchet: NextKey blocks both directions
 *
 * Static-key DH happens in cryptod, asynchronously; everything keyed by
 * our ephemeral keys happens here.  The caller supplies:
 *   ss  = DH(our static, peer static), to write a New Session (constant
 *         per pair of keys: cache it);
 *   DH(our static, Alice's ephemeral) and DH(our static, Alice's static)
 *         to open a New Session (ratchet_ns_begin/_static/_finish);
 *   DH(our static, Bob's ephemeral) to open a New Session Reply
 *         (ratchet_open returns RATCHET_NEED_DH the first time; i2pd
 *         reuses one ephemeral key for all its replies to one NS).
 *
 * Messages here are the Garlic message's data after its 4-byte length:
 *   NS  = Elligator2(aepk) 32 | static key section 48 | payload + 16
 *   NSR = tag 8 | Elligator2(bepk) 32 | MAC 16 | payload + 16
 *   ES  = tag 8 | payload + 16
 * A payload is a sequence of garlic blocks (common/garlicblk.h).  The
 * library writes the blocks that belong to the session (DateTime in a
 * New Session, ACK, NextKey, Padding) around the caller's (cloves, ACK
 * requests, Termination) and acts on those it receives; the caller reads
 * the cloves from the decrypted payload with gblk_next().
 *
 * Tags: the caller keeps one map from 8-byte tag to session per local
 * destination, fed by the tag callback (added when the library expects
 * a tag, removed when it is used, trimmed or its tag set is dropped),
 * and hands each Garlic message whose first 8 bytes are in the map to
 * ratchet_open() on that session; any other message may be a New
 * Session (ratchet_ns_begin).
 */
#ifndef I2PRD_TUNNELD_RATCHET_H
#define I2PRD_TUNNELD_RATCHET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "replay.h"

#define RATCHET_TAG_LEN		8
#define RATCHET_NS_OVERHEAD	96	/* 32 + 48 + 16 */
#define RATCHET_NSR_OVERHEAD	72	/* 8 + 32 + 16 + 16 */
#define RATCHET_ES_OVERHEAD	24	/* 8 + 16 */
/* the largest message: an AEAD frame holds at most 65535 bytes */
#define RATCHET_MSG_MAX		(RATCHET_NS_OVERHEAD - 16 + 65535)

/*
 * Tag windows: tags generated ahead of the highest index received,
 * RATCHET_WINDOW_MIN + index / 4 up to RATCHET_WINDOW_MAX (ecies.rst
 * suggests 24..160; i2pd 2.45.1 goes to 320, which only matters when it
 * loses more than 160 messages in a row).  The ring keeps that many
 * behind for late messages too, so a receive tag set holds at most
 * RATCHET_RING tags and keys.
 */
#define RATCHET_WINDOW_MIN	24
#define RATCHET_WINDOW_MAX	160
#define RATCHET_RING		(2 * RATCHET_WINDOW_MAX)
#define RATCHET_NSR_WINDOW	12	/* reply tags per New Session sent */
/*
 * New Sessions in flight, per session: a browser opens six streams at
 * once to a new site, each SYN in a New Session of its own, and i2pd
 * answers all of them through the one it received first, which may
 * not be the first we sent (ns_slot keeps that one).
 */
#define RATCHET_NS_MAX		8
/*
 * We start a DH ratchet after this many messages in a tag set
 * (ecies.rst); i2pd 2.45.1 waits for 8192, so receive windows do not
 * assume either.  A tag set ends at index 65535.
 */
#define RATCHET_NEXTKEY_AFTER	4096
#define RATCHET_TAGSET_END	65535
#define RATCHET_ACKS_MAX	32	/* ACKs owed, per session */
/* timeouts in seconds, as i2pd 2.45.1 has them */
#define RATCHET_SEND_EXPIRE	480	/* sessions we began: idle receive */
#define RATCHET_RECV_EXPIRE	600	/* sessions they began: idle receive */
#define RATCHET_OLD_TAGSET	180	/* a replaced receive tag set */
#define RATCHET_NS_EXPIRE	180	/* a New Session without reply */
/* a New Session's DateTime may be this far off our clock */
#define RATCHET_SKEW_PAST	300
#define RATCHET_SKEW_FUTURE	120
/* the NS ephemeral key replay filter must remember keys this long */
#define RATCHET_REPLAY_WINDOW	(RATCHET_SKEW_PAST + RATCHET_SKEW_FUTURE)

struct ratchet_session;

/* added 1: expect this tag for s; added 0: forget it */
typedef void (*ratchet_tag_cb)(void *arg, struct ratchet_session *s,
    const uint8_t tag[RATCHET_TAG_LEN], int added);

/*
 * One direction's tag set (ecies.rst 4a-4c).  Send tag sets use the
 * chains only; receive tag sets also keep a ring of generated tags and
 * their keys, slot index % ring.
 */
struct rt_slot {
	uint8_t		 tag[RATCHET_TAG_LEN];
	uint8_t		 key[32];
	uint16_t	 index;
	uint8_t		 live;		/* generated and not yet used */
};

struct rt_tagset {
	uint16_t	 id;
	uint8_t		 next_root[32];
	uint8_t		 tag_ck[32];
	uint8_t		 tag_const[32];
	uint8_t		 key_ck[32];
	uint32_t	 next;		/* index the chains produce next */
	/* receive side */
	struct rt_slot	*ring;		/* NULL for a send tag set */
	uint16_t	 ringsz;
	uint16_t	 window_max;
	uint32_t	 high;		/* 1 + the highest index received */
	int64_t		 expires;	/* 0: no expiry set */
};

/* a New Session we sent (Alice), waiting for its replies */
struct rt_ns {
	int		 used;
	int64_t		 sent;
	uint32_t	 seq;		/* the session's how manyth NS */
	uint8_t		 eph_priv[32];
	uint8_t		 eph_pub[32];
	struct noise_ss	 ss;		/* after the payload */
	struct rt_tagset nsr;		/* its SessionReplyTags */
};

/* our key and the peer's for one direction of the DH ratchet */
struct rt_dh {
	uint8_t		 priv[32];
	uint8_t		 pub[32];
	uint8_t		 peer[32];
	int		 have_key, have_peer;
	int		 pending;	/* a NextKey block to send */
	uint16_t	 next_id;	/* the tag set the exchange makes */
};

enum ratchet_state {
	RATCHET_NS_SENT,	/* Alice: waiting for a New Session Reply */
	RATCHET_NSR_SENT,	/* Bob: replying until the first ES arrives */
	RATCHET_ESTABLISHED,
	RATCHET_TERMINATED	/* a Termination block came or went */
};

struct ratchet_session {
	enum ratchet_state state;
	int		 outbound;	/* we sent the New Session */
	uint8_t		 our_pub[32];
	uint8_t		 peer_pub[32];
	ratchet_tag_cb	 cb;
	void		*cbarg;
	int64_t		 created, last_recv;
	/* Alice */
	struct rt_ns	 ns[RATCHET_NS_MAX];
	uint32_t	 ns_seq;	/* New Sessions written */
	/* Bob: the state after the NS, and the reply's fixed parts */
	uint8_t		 ns_h[32];
	struct noise_ss	 nsr_ss;	/* ck and k after the reply's DHs */
	uint8_t		 nsr_priv[32], nsr_pub[32], nsr_repr[32];
	uint8_t		 nsr_key[32];	/* AttachPayloadKDF */
	uint8_t		 aepk[32];
	struct rt_tagset nsr_send;
	/* both, once keyed */
	int		 keyed;
	struct rt_tagset send;
	struct rt_tagset recv[2];	/* [0] newest, [1] the one before */
	struct rt_dh	 fwd;		/* ratcheting our send tag set */
	struct rt_dh	 rev;		/* ratcheting our receive tag set */
	uint32_t	 ratchets_send, ratchets_recv;	/* DH ratchets done */
	struct {
		uint16_t	 tagset_id, n;
	}		 acks[RATCHET_ACKS_MAX];
	size_t		 nacks;
};

/*
 * Bob's state while a New Session is opened across cryptod's answers;
 * pass the same message to every step.
 */
struct ratchet_ns_in {
	int		 step;
	int		 bound;
	struct noise_ss	 ss;
	uint8_t		 our_pub[32];
	uint8_t		 aepk[32];
	uint8_t		 apk[32];
};

/* what ratchet_open found in a message */
enum ratchet_kind {
	RATCHET_MSG_NS = 1,
	RATCHET_MSG_NSR,
	RATCHET_MSG_ES
};
struct ratchet_rx {
	enum ratchet_kind kind;
	uint16_t	 tagset_id;	/* ES: the tag set and index */
	uint16_t	 index;
	uint8_t		 dh_pub[32];	/* RATCHET_NEED_DH: DH with this */
	int		 ack_requested;
	int		 terminated;	/* a Termination block: drop s */
};
struct ratchet_tx {
	enum ratchet_kind kind;
	uint16_t	 tagset_id;	/* ES: to match a later ACK */
	uint16_t	 index;
};

#define RATCHET_NEED_DH		1

/*
 * The API
 */

/* ratchet_ns.c */
/* a session to peer_pub (its LeaseSet's X25519 key) from our_pub */
struct ratchet_session *ratchet_out_new(const uint8_t our_pub[32],
	    const uint8_t peer_pub[32], ratchet_tag_cb, void *, int64_t now);
/*
 * Opening a New Session to our key our_pub, in three steps:
 * begin: checks the size and the replay filter, decodes Alice's
 *   ephemeral key into aepk: get DH(our static, aepk) from cryptod;
 * static: with that DH, opens the static key section; returns 1 and
 *   Alice's static key in apk for a bound NS: get DH(our static, apk);
 *   0 for an unbound one (no session, no reply possible);
 * finish: with that DH (NULL if unbound), decrypts the payload into
 *   payload and checks its DateTime (first block) against now; the
 *   ephemeral key joins the replay filter (rp may be NULL: no check;
 *   replay_init(rp, n, RATCHET_REPLAY_WINDOW) one per destination).
 * Each returns -1 when the message is refused; the state is wiped then
 * and nothing is left in payload.
 */
int	 ratchet_ns_begin(struct ratchet_ns_in *, const uint8_t our_pub[32],
	    const uint8_t *msg, size_t len, struct replay *rp, int64_t now,
	    uint8_t aepk[32]);
int	 ratchet_ns_static(struct ratchet_ns_in *, const uint8_t *msg,
	    size_t len, const uint8_t dh[32], uint8_t apk[32]);
int	 ratchet_ns_finish(struct ratchet_ns_in *, const uint8_t *msg,
	    size_t len, const uint8_t *dh, struct replay *rp,
	    struct wbuf *payload, int64_t now);
/*
 * The inbound session answering a bound NS that ratchet_ns_finish
 * opened (the ratchet_ns_in is wiped); NULL on failure.  Its tags for
 * the peer's first ES are announced at once.
 */
struct ratchet_session *ratchet_in_new(struct ratchet_ns_in *,
	    ratchet_tag_cb, void *, int64_t now);

/* ratchet_session.c */
/* which message ratchet_seal writes next (0: none, terminated) */
enum ratchet_kind ratchet_next_kind(const struct ratchet_session *);
/*
 * Seals the caller's blocks (cloves, ACK requests, a Termination; no
 * Padding) into the next message to the peer, appended to out: a New
 * Session (ss = DH(our static, peer static) required), a New Session
 * Reply, or an Existing Session message.  tx (may be NULL) says which.
 * -1 if out has no room, the session is terminated or its last tag set
 * is used up (start a new session then); out is as it was then.
 */
int	 ratchet_seal(struct ratchet_session *, const uint8_t *ss,
	    const void *blocks, size_t blen, struct wbuf *out,
	    struct ratchet_tx *, int64_t now);
/*
 * 1 if the session owes the peer blocks (ACKs, a NextKey) that only go
 * with a message: seal one, even without blocks of the caller's, soon
 * (i2pd acks only piggy-backed, so the peer waits for us otherwise).
 */
int	 ratchet_owes(const struct ratchet_session *);

/* ratchet_open.c */
/*
 * Opens a message whose tag the tag callback gave for s, decrypting its
 * payload into payload.  0: done, rx says what came; RATCHET_NEED_DH: a
 * New Session Reply, call again with dh = DH(our static, rx->dh_pub);
 * -1: refused (a message that does not decrypt changes nothing: the
 * tag stays valid, it may have been a forgery).
 */
int	 ratchet_open(struct ratchet_session *, const uint8_t *msg,
	    size_t len, const uint8_t *dh, struct wbuf *payload,
	    struct ratchet_rx *, int64_t now);
/* 1 if s expects this tag */
int	 ratchet_owns_tag(struct ratchet_session *, const uint8_t *tag);
/*
 * Drops what has expired (replaced tag sets, unanswered NS); 1 if the
 * whole session has (no reply, idle, terminated): free it then.
 */
int	 ratchet_expire(struct ratchet_session *, int64_t now);
/* wipes all keys; the callback forgets every tag */
void	 ratchet_free(struct ratchet_session *);

/*
 * Inside the library
 */

/* ratchet_tagset.c */
int	 rt_kdf(uint8_t *out, size_t outlen, const uint8_t salt[32],
	    const void *ikm, size_t ikmlen, const char *info);
int	 rt_dh_initialize(struct rt_tagset *, const uint8_t root[32],
	    const uint8_t k[32], uint16_t id);
int	 rt_send_next(struct rt_tagset *, uint8_t tag[RATCHET_TAG_LEN],
	    uint8_t key[32], uint16_t *index);
/* a receive tag set: ring of 2 * window_max, first tags generated */
int	 rt_recv_init(struct rt_tagset *, struct ratchet_session *,
	    uint16_t window_max, uint16_t first);
/* the live slot holding tag, or NULL */
struct rt_slot *rt_recv_find(struct rt_tagset *, const uint8_t *tag);
/* a slot was used: forget it, move the window on */
int	 rt_recv_used(struct rt_tagset *, struct ratchet_session *,
	    struct rt_slot *);
void	 rt_tagset_wipe(struct rt_tagset *, struct ratchet_session *);

/* ratchet_ns.c */
/* Noise IKelg2+hs2 up to MixHash(bpk), for either side */
int	 rt_ik_init(struct noise_ss *, const uint8_t bpk[32]);
/* the SessionReplyTags tag set from the chaining key after an NS */
int	 rt_nsr_tagset(struct rt_tagset *, const uint8_t ck[32]);
int	 rt_ns_write(struct ratchet_session *, const uint8_t ss[32],
	    const void *blocks, size_t blen, struct wbuf *, int64_t now);

/* ratchet_session.c */
/*
 * Writes a payload: DateTime first for a New Session; the ACKs and
 * NextKey blocks owed for an Existing Session; the caller's blocks;
 * 0-15 bytes of Padding last (ecies.rst "Padding default").
 */
int	 rt_put_payload(struct ratchet_session *, struct wbuf *,
	    enum ratchet_kind, const void *, size_t, int64_t now);
/* the blocks of a received payload the session acts on */
int	 rt_session_blocks(struct ratchet_session *, const uint8_t *,
	    size_t, struct ratchet_rx *, int64_t now);
/* forgets (wiped) what was written to w from off on */
void	 rt_rewind(struct wbuf *, size_t off);

/* ratchet_dh.c */
/* before sealing an ES: start a DH ratchet when the send set is old */
int	 rt_dh_maybe_start(struct ratchet_session *);
/* appends the NextKey blocks owed */
int	 rt_dh_put_blocks(struct ratchet_session *, struct wbuf *);
/* a NextKey block received */
int	 rt_dh_nextkey(struct ratchet_session *, uint8_t flags, uint16_t id,
	    const uint8_t *key, int64_t now);
/* a message came on receive tag set id: a pending reverse key arrived */
void	 rt_dh_received_on(struct ratchet_session *, uint16_t id);

#endif /* I2PRD_TUNNELD_RATCHET_H */
