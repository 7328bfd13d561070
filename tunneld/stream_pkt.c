/*
 * The streaming protocol's packet, read and written (stream_pkt.h).
 *
 * Choices where streaming.rst leaves room, with what i2pd 2.45.1
 * (libi2pd/Streaming.cpp) does:
 *
 *  - Option size must be exactly the bytes the flags announce.  i2pd
 *    never compares them (it walks the options from the flags and takes
 *    the payload after option size); both routers write them equal, so
 *    a mismatch is a broken or hostile sender, and a signature found by
 *    counting from the flags would not be where the sender put it.
 *    Flag bits 12-15 are unused, have no options and are ignored.
 *  - A packet is at most SP_PACKET_MAX bytes, i2pd's MAX_PACKET_SIZE:
 *    i2pd cannot take more, and the largest packet anyone builds
 *    (255 NACKs, a P-521 Destination, an offline block, a 1812-byte
 *    payload) fits.  It also bounds the copy stream_pkt_verify makes.
 *  - MAX_PACKET_SIZE_INCLUDED: any value but 0 (a peer that can take no
 *    payload cannot be talked to).  i2pd reads and ignores it; what to
 *    do with a small one (min with ours, a floor) is stream.c's.
 *  - SIGNATURE without FROM: sized and checked by the caller's signer
 *    (the Destination of the stream's SYN), as i2pd does with its
 *    stream's remote identity; with no signer it is refused, since the
 *    signature's length and so the payload's start are unknown.
 *  - OFFLINE_SIGNATURE without FROM: the spec wants FROM with it; i2pd
 *    takes its stream's remote identity, and so do we (the signer).
 *  - Which flags need a signature or FROM (SYN, CLOSE, RESET, ECHO) is
 *    policy, stream.c's: the codec reads what is there.
 */
#include <string.h>

#include "buf.h"
#include "i2pdata.h"
#include "stream_pkt.h"

#define SP_OFFLINE_HDR	6	/* expires 4, transient sigtype 2 */

/* the 22-byte header's fields and the NACKs */
static int
parse_header(struct stream_pkt *pkt, struct rbuf *r, uint16_t *optsize,
    struct i2p_err *err)
{
	int	 i;

	if (rbuf_get_u32(r, &pkt->send_id) == -1 ||
	    rbuf_get_u32(r, &pkt->recv_id) == -1 ||
	    rbuf_get_u32(r, &pkt->seq) == -1 ||
	    rbuf_get_u32(r, &pkt->ack_through) == -1 ||
	    rbuf_get_u8(r, &pkt->nnacks) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "streaming packet");
	/* the header's last 5 bytes must follow the NACKs */
	if (rbuf_left(r) < (size_t)pkt->nnacks * 4 + 5)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming NACK count");
	for (i = 0; i < pkt->nnacks; i++)
		rbuf_get_u32(r, &pkt->nacks[i]);
	if (rbuf_get_u8(r, &pkt->resend_delay) == -1 ||
	    rbuf_get_u16(r, &pkt->flags) == -1 ||
	    rbuf_get_u16(r, optsize) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "streaming packet");
	return 0;
}

/* the Destination whose key signs: FROM, else the caller's */
static const struct i2p_ident *
pkt_dest(const struct stream_pkt *pkt, const struct i2p_ident *signer)
{
	if (pkt->flags & SPF_FROM_INCLUDED)
		return &pkt->from;
	return signer;
}

/*
 * OfflineSignature: expires, transient sigtype and key, the
 * Destination's signature of them (checked by stream_pkt_verify).
 */
static int
parse_offline(struct stream_pkt *pkt, struct rbuf *o,
    const struct i2p_ident *dest, struct i2p_err *err)
{
	const uint8_t	*key;
	uint16_t	 type;
	size_t		 publen;

	if (dest == NULL)
		return i2p_seterr(err, I2PE_FIELD, 0,
		    "streaming offline signature without a Destination");
	if (rbuf_get_u32(o, &pkt->off_expires) == -1 ||
	    rbuf_get_u16(o, &type) == -1)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming option size");
	if (i2p_sigtype_len(type, &publen, NULL) == -1)
		return i2p_seterr(err, I2PE_SIGTYPE, type,
		    "streaming offline signature");
	if (rbuf_get_ptr(o, &key, publen) == -1 ||
	    rbuf_skip(o, ident_siglen(dest)) == -1)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming option size");
	if (ident_signer(&pkt->off_transient, type, key, publen) == -1)
		return i2p_seterr(err, I2PE_SIGTYPE, type,
		    "streaming offline signature");
	return 0;
}

/* the signature's length: the transient key's type, else the dest's */
static size_t
pkt_siglen(const struct stream_pkt *pkt, const struct i2p_ident *dest)
{
	if (pkt->flags & SPF_OFFLINE_SIGNATURE)
		return ident_siglen(&pkt->off_transient);
	return ident_siglen(dest);
}

static int
parse_signature(struct stream_pkt *pkt, struct rbuf *o, size_t len,
    size_t after, const struct i2p_ident *dest, struct i2p_err *err)
{
	if (dest == NULL)
		return i2p_seterr(err, I2PE_FIELD, 0,
		    "streaming signature without a signer");
	pkt->siglen = pkt_siglen(pkt, dest);
	if (pkt->siglen == 0)
		return i2p_seterr(err, I2PE_SIGTYPE, dest->sigtype,
		    "streaming signature");
	/* the packet's bytes: what the options and payload leave */
	pkt->sig_off = len - after - rbuf_left(o);
	if (rbuf_get_ptr(o, &pkt->sig, pkt->siglen) == -1)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming option size");
	return 0;
}

/* o holds exactly the option bytes; after is the payload's length */
static int
parse_options(struct stream_pkt *pkt, struct rbuf *o, size_t len,
    size_t after, const struct i2p_ident *signer, struct i2p_err *err)
{
	if ((pkt->flags & SPF_DELAY_REQUESTED) &&
	    rbuf_get_u16(o, &pkt->delay) == -1)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming option size");
	if ((pkt->flags & SPF_FROM_INCLUDED) &&
	    ident_parse(&pkt->from, o, IDENT_DEST, err) == -1)
		return -1;
	if (pkt->flags & SPF_MAX_PACKET_SIZE_INCLUDED) {
		if (rbuf_get_u16(o, &pkt->mtu) == -1)
			return i2p_seterr(err, I2PE_FIELD, 0,
			    "streaming option size");
		if (pkt->mtu == 0)
			return i2p_seterr(err, I2PE_FIELD, 0,
			    "streaming MAX_PACKET_SIZE");
	}
	if ((pkt->flags & SPF_OFFLINE_SIGNATURE) &&
	    parse_offline(pkt, o, pkt_dest(pkt, signer), err) == -1)
		return -1;
	if ((pkt->flags & SPF_SIGNATURE_INCLUDED) &&
	    parse_signature(pkt, o, len, after, pkt_dest(pkt, signer),
	    err) == -1)
		return -1;
	if (rbuf_left(o) != 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming option size");
	return 0;
}

int
stream_pkt_parse(struct stream_pkt *pkt, const uint8_t *buf, size_t len,
    const struct i2p_ident *signer, struct i2p_err *err)
{
	struct rbuf	 r, o;
	uint16_t	 optsize;

	memset(pkt, 0, sizeof(*pkt));
	if (len > SP_PACKET_MAX)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "streaming packet");
	rbuf_init(&r, buf, len);
	if (parse_header(pkt, &r, &optsize, err) == -1)
		goto fail;
	if (rbuf_sub(&r, &o, optsize) == -1) {
		i2p_seterr(err, I2PE_TRUNCATED, 0, "streaming options");
		goto fail;
	}
	if (parse_options(pkt, &o, len, rbuf_left(&r), signer, err) == -1)
		goto fail;
	pkt->len = rbuf_left(&r);
	if (pkt->len > 0)
		rbuf_get_ptr(&r, &pkt->payload, pkt->len);
	return 0;
 fail:
	/* nothing half-read escapes, no pointers into refused bytes */
	memset(pkt, 0, sizeof(*pkt));
	return -1;
}

/*
 * The offline block sits right before the signature (option order 4
 * then 5), so its place follows from sig_off and the two key types:
 * the Destination signed the 6 + key bytes of it as they are.
 */
static int
verify_offline(const struct stream_pkt *pkt, const uint8_t *buf, size_t len,
    const struct i2p_ident *dest, uint32_t now, struct i2p_err *err)
{
	struct rbuf	 r;
	const uint8_t	*msg, *sig;
	size_t		 msglen, dsiglen, start;

	msglen = SP_OFFLINE_HDR + pkt->off_transient.sign_publen;
	dsiglen = ident_siglen(dest);
	if (pkt->sig_off < msglen + dsiglen)
		return i2p_seterr(err, I2PE_FIELD, 0,
		    "streaming offline signature");
	start = pkt->sig_off - msglen - dsiglen;
	rbuf_init(&r, buf, len);
	if (rbuf_skip(&r, start) == -1 ||
	    rbuf_get_ptr(&r, &msg, msglen) == -1 ||
	    rbuf_get_ptr(&r, &sig, dsiglen) == -1)
		return i2p_seterr(err, I2PE_FIELD, 0,
		    "streaming offline signature");
	if (ident_verify(dest, msg, msglen, sig, dsiglen, err) == -1) {
		if (err != NULL)
			err->where = "streaming offline signature";
		return -1;
	}
	if (pkt->off_expires <= now)
		return i2p_seterr(err, I2PE_EXPIRED, 0,
		    "streaming offline signature");
	return 0;
}

/* buf with the signature's bytes zeroed, into copy (SP_PACKET_MAX) */
static int
zeroed_copy(const struct stream_pkt *pkt, const uint8_t *buf, size_t len,
    uint8_t *copy)
{
	struct rbuf	 r;
	struct wbuf	 w;
	const uint8_t	*head, *tail;
	size_t		 taillen;

	if (len > SP_PACKET_MAX || pkt->sig_off > len ||
	    pkt->siglen > len - pkt->sig_off)
		return -1;
	taillen = len - pkt->sig_off - pkt->siglen;
	rbuf_init(&r, buf, len);
	rbuf_get_ptr(&r, &head, pkt->sig_off);
	rbuf_skip(&r, pkt->siglen);
	if (rbuf_get_ptr(&r, &tail, taillen) == -1)
		return -1;
	wbuf_init_fixed(&w, copy, SP_PACKET_MAX);
	wbuf_put_bytes(&w, head, pkt->sig_off);
	wbuf_put_zero(&w, pkt->siglen);
	wbuf_put_bytes(&w, tail, taillen);
	return wbuf_error(&w);
}

int
stream_pkt_verify(const struct stream_pkt *pkt, const uint8_t *buf,
    size_t len, const struct i2p_ident *signer, uint32_t now,
    struct i2p_err *err)
{
	uint8_t				 copy[SP_PACKET_MAX];
	const struct i2p_ident		*dest, *key;

	if (!(pkt->flags & SPF_SIGNATURE_INCLUDED) || pkt->sig == NULL)
		return i2p_seterr(err, I2PE_FIELD, 0,
		    "streaming packet not signed");
	if ((dest = pkt_dest(pkt, signer)) == NULL)
		return i2p_seterr(err, I2PE_FIELD, 0,
		    "streaming signature without a signer");
	key = dest;
	if (pkt->flags & SPF_OFFLINE_SIGNATURE) {
		if (verify_offline(pkt, buf, len, dest, now, err) == -1)
			return -1;
		key = &pkt->off_transient;
	}
	if (zeroed_copy(pkt, buf, len, copy) == -1)
		return i2p_seterr(err, I2PE_FIELD, 0, "streaming signature");
	if (ident_verify(key, copy, len, pkt->sig, pkt->siglen, err) == -1) {
		if (err != NULL)
			err->where = "streaming signature";
		return -1;
	}
	return 0;
}

/* the options, in flag order; the signature as siglen zero bytes */
static void
put_options(struct wbuf *w, const struct stream_pkt *pkt, size_t siglen,
    size_t *sig_off)
{
	if (pkt->flags & SPF_DELAY_REQUESTED)
		wbuf_put_u16(w, pkt->delay);
	if (pkt->flags & SPF_FROM_INCLUDED)
		wbuf_put_bytes(w, pkt->from.raw, pkt->from.rawlen);
	if (pkt->flags & SPF_MAX_PACKET_SIZE_INCLUDED)
		wbuf_put_u16(w, pkt->mtu);
	/* wbuf_reserve writes zeros: the bytes a signature covers */
	if (pkt->flags & SPF_SIGNATURE_INCLUDED)
		wbuf_reserve(w, siglen, sig_off);
}

/* refuses what cannot be written as asked */
static int
build_args_ok(const struct stream_pkt *pkt, size_t siglen, size_t *sig_off,
    struct i2p_err *err)
{
	if (pkt->flags & SPF_OFFLINE_SIGNATURE)
		return i2p_seterr(err, I2PE_ARG, 0,
		    "streaming offline signature not written");
	if ((pkt->flags & SPF_FROM_INCLUDED) && (pkt->from.rawlen == 0 ||
	    pkt->from.rawlen > sizeof(pkt->from.raw)))
		return i2p_seterr(err, I2PE_ARG, 0, "streaming FROM");
	if ((pkt->flags & SPF_SIGNATURE_INCLUDED) && (siglen == 0 ||
	    siglen > I2P_SIG_MAXLEN || sig_off == NULL))
		return i2p_seterr(err, I2PE_ARG, 0, "streaming signature");
	if (pkt->len > 0 && pkt->payload == NULL)
		return i2p_seterr(err, I2PE_ARG, 0, "streaming payload");
	return 0;
}

int
stream_pkt_build(struct wbuf *w, const struct stream_pkt *pkt,
    size_t siglen, size_t *sig_off, struct i2p_err *err)
{
	size_t	 optoff, optlen;
	int	 i;

	if (build_args_ok(pkt, siglen, sig_off, err) == -1)
		return -1;
	wbuf_put_u32(w, pkt->send_id);
	wbuf_put_u32(w, pkt->recv_id);
	wbuf_put_u32(w, pkt->seq);
	wbuf_put_u32(w, pkt->ack_through);
	wbuf_put_u8(w, pkt->nnacks);
	for (i = 0; i < pkt->nnacks; i++)
		wbuf_put_u32(w, pkt->nacks[i]);
	wbuf_put_u8(w, pkt->resend_delay);
	wbuf_put_u16(w, pkt->flags);
	if (wbuf_reserve(w, 2, &optoff) == -1)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "streaming packet");
	put_options(w, pkt, siglen, sig_off);
	optlen = wbuf_len(w) - optoff - 2;
	if (pkt->len > 0)
		wbuf_put_bytes(w, pkt->payload, pkt->len);
	if (wbuf_error(w) || optlen > UINT16_MAX ||
	    wbuf_set_u16(w, optoff, optlen) == -1)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "streaming packet");
	return 0;
}

void
stream_pkt_put_sig(uint8_t *pkt, size_t sig_off, const uint8_t *sig,
    size_t siglen)
{
	memcpy(pkt + sig_off, sig, siglen);
}

void
stream_pkt_set_syn_hash(struct stream_pkt *pkt, const uint8_t h[32])
{
	struct rbuf	 r;
	int		 i;

	rbuf_init(&r, h, I2P_HASH_LEN);
	pkt->nnacks = SP_SYN_NACKS;
	for (i = 0; i < SP_SYN_NACKS; i++)
		rbuf_get_u32(&r, &pkt->nacks[i]);
}

/*
 * Proposal 164 says what 8 NACKs in a SYN mean and that a SYN without
 * them is an older peer's; any other count is neither and is refused
 * (a SYN acknowledges nothing, so it has no real NACKs).
 */
int
stream_pkt_check_syn_hash(const struct stream_pkt *pkt, const uint8_t h[32])
{
	struct rbuf	 r;
	uint32_t	 want;
	int		 i;

	if (pkt->nnacks == 0)
		return 0;
	if (pkt->nnacks != SP_SYN_NACKS)
		return -1;
	rbuf_init(&r, h, I2P_HASH_LEN);
	for (i = 0; i < SP_SYN_NACKS; i++) {
		rbuf_get_u32(&r, &want);
		if (pkt->nacks[i] != want)
			return -1;
	}
	return 0;
}
