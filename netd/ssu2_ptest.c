/*
 * SSU2 Peer Test (ssu2.rst "Peer Test") as functions over bytes: what
 * Alice and Charlie sign, checking those signatures, and messages 5-7,
 * which travel outside any session.  Which role we play, the tests in
 * flight and their timers are the glue's (ssu2_ptio.c).
 *
 * A message 5-7 is a long header (type 7) whose connection IDs come
 * from the test's nonce, the payload sealed with the receiver's intro
 * key: DateTime, for 6 and 7 an Address block (how the sender sees the
 * receiver), the Peer Test block, padding.  i2pd 2.45.1 sends them so.
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "ssu2.h"

#define PT_PROLOGUE	"PeerTestValidate"
#define PT_PROLOGUE_LEN	16
#define PT_PAD_MAX	16	/* random padding after the block */

int
ssu2_pt_sigdata(struct wbuf *w, const uint8_t bhash[32],
    const uint8_t *ahash, const struct ssu2_peertest *t)
{
	wbuf_put_bytes(w, PT_PROLOGUE, PT_PROLOGUE_LEN);
	wbuf_put_bytes(w, bhash, 32);
	if (ahash != NULL)
		wbuf_put_bytes(w, ahash, 32);
	if (ssu2_peertest_signed(w, t) == -1)
		return -1;
	return wbuf_error(w) ? -1 : 0;
}

int
ssu2_pt_verify(const struct i2p_ident *id, const uint8_t bhash[32],
    const uint8_t *ahash, const struct ssu2_peertest *t)
{
	uint8_t		 buf[SSU2_PT_SIGDATA_MAX];
	struct wbuf	 w;
	struct i2p_err	 err = { 0 };

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (t->sig == NULL || t->siglen == 0 ||
	    ssu2_pt_sigdata(&w, bhash, ahash, t) == -1)
		return -1;
	return ident_verify(id, buf, wbuf_len(&w), t->sig, t->siglen, &err);
}

/* the IDs a message of the test with that nonce carries */
static void
pt_ids(uint8_t msg, uint32_t nonce, uint64_t *dst, uint64_t *src)
{
	/* 5 and 7 go to Alice, 6 the other way: the IDs swap */
	if (msg == 6)
		ssu2_nonce_ids(nonce, src, dst);
	else
		ssu2_nonce_ids(nonce, dst, src);
}

int
ssu2_pt_seal(uint8_t netid, const uint8_t key[32], uint32_t pkt_num,
    const struct ssu2_peertest *t, const struct ssu2_addr *addr,
    uint32_t now, struct wbuf *out)
{
	uint8_t		 payload[SSU2_PKT_MAX];
	struct ssu2_hdr	 h;
	struct wbuf	 w;
	uint8_t		 pad;

	if (t->msg < 5 || t->msg > 7 || (t->msg != 5) != (addr != NULL))
		return -1;
	memset(&h, 0, sizeof(h));
	pt_ids(t->msg, t->nonce, &h.dst_id, &h.src_id);
	h.pkt_num = pkt_num;
	h.type = SSU2_PEER_TEST;
	h.flags[0] = SSU2_VERSION;
	h.flags[1] = netid;
	wbuf_init_fixed(&w, payload, sizeof(payload));
	ssu2_put_datetime(&w, now);
	if (addr != NULL)
		ssu2_put_address(&w, addr);
	ssu2_put_peertest(&w, t);
	crypto_random_fill(&pad, 1);
	ssu2_put_padding(&w, pad % PT_PAD_MAX);
	if (wbuf_error(&w))
		return -1;
	return ssu2_long_seal(&h, key, payload, wbuf_len(&w), out);
}

/* each block of a message 5-7: one Peer Test, one Address at most */
static int
pt_blk(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct ssu2_pt_msg	*m = arg;
	struct ssu2_blk		 b;

	switch (type) {
	case SSU2_B_PEER_TEST:
		if (m->have_pt || ssu2_blk_parse(type, body, len, &b) != 0)
			return -1;
		m->pt = b.u.peertest;
		m->have_pt = 1;
		break;
	case SSU2_B_ADDRESS:
		if (m->addr.iplen != 0 ||
		    ssu2_blk_parse(type, body, len, &b) != 0)
			return -1;
		m->addr = b.u.addr;
		break;
	case SSU2_B_DATETIME:
		if (ssu2_blk_parse(type, body, len, &b) != 0)
			return -1;
		m->ts = b.u.datetime;
		break;
	default:
		break;		/* padding, or what a later version adds */
	}
	return 0;
}

int
ssu2_pt_open(const uint8_t *pkt, size_t len, const uint8_t key[32],
    uint8_t netid, struct ssu2_pt_msg *m)
{
	uint64_t	 dst, src;
	size_t		 plen;

	memset(m, 0, sizeof(*m));
	if (ssu2_long_open(pkt, len, key, SSU2_PEER_TEST, &m->h, m->plain,
	    &plen) == -1 || ssu2_long_check(&m->h, netid) != SSU2_R_NORMAL ||
	    ssu2_blocks(m->plain, plen, pt_blk, m) != 0 || !m->have_pt ||
	    m->pt.msg < 5)
		return -1;
	/* the IDs must be the nonce's, the way this message goes */
	pt_ids(m->pt.msg, m->pt.nonce, &dst, &src);
	if (m->h.dst_id != dst || m->h.src_id != src)
		return -1;
	return 0;
}
