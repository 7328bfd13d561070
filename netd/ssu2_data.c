/*
 * SSU2 data phase (ssu2.rst "KDF for data phase", "Data Message"):
 *   k_ab || k_ba = HKDF(ck, "")
 *   k_data || k_header_2 = HKDF(k_ab or k_ba, "", "HKDFSSU2DataKeys")
 * The AEAD nonce is the header's packet number and the plaintext
 * 16-byte header its associated data; k_header_1 is the receiver's
 * intro key.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ssu2.h"

#define DATA_INFO	"HKDFSSU2DataKeys"

static int
dir_keys(struct ssu2_dir *d, const uint8_t key[32])
{
	uint8_t	 kd[64];
	int	 rv;

	rv = hkdf_sha256(kd, sizeof(kd), key, 32, NULL, 0, DATA_INFO,
	    strlen(DATA_INFO));
	if (rv == 0) {
		memcpy(d->k, kd, 32);
		memcpy(d->hk2, kd + 32, 32);
	}
	crypto_wipe(kd, sizeof(kd));
	return rv;
}

int
ssu2_data_keys(struct ssu2_session *s, const uint8_t ck[32], int alice)
{
	uint8_t	 kd[64];
	int	 rv;

	rv = hkdf_sha256(kd, sizeof(kd), ck, 32, NULL, 0, NULL, 0);
	if (rv == 0)
		rv = dir_keys(alice ? &s->send : &s->recv, kd);
	if (rv == 0)
		rv = dir_keys(alice ? &s->recv : &s->send, kd + 32);
	crypto_wipe(kd, sizeof(kd));
	return rv;
}

int
ssu2_data_seal(struct ssu2_session *s, uint8_t flags, const uint8_t *payload,
    size_t len, struct wbuf *out, uint32_t *pn)
{
	struct ssu2_hdr	 h;
	struct wbuf	 hw;
	uint8_t		 hdr[SSU2_SHORT_HDR];
	size_t		 off, total;

	/* a wrapped packet number would reuse a nonce */
	if (len < SSU2_PAYLOAD_MIN || s->send_pn == UINT32_MAX ||
	    len > SSU2_PKT_MAX - SSU2_SHORT_HDR - POLY1305_TAG_LEN)
		return -1;
	memset(&h, 0, sizeof(h));
	h.dst_id = s->send.conn_id;
	h.pkt_num = s->send_pn;
	h.type = SSU2_DATA;
	h.flags[0] = flags;
	wbuf_init_fixed(&hw, hdr, sizeof(hdr));
	total = SSU2_SHORT_HDR + len + POLY1305_TAG_LEN;
	if (ssu2_hdr_put(&hw, &h) == -1 || wbuf_reserve(out, total, &off)
	    == -1)
		return -1;
	memcpy(out->data + off, hdr, sizeof(hdr));
	if (chachapoly_encrypt(out->data + off + SSU2_SHORT_HDR, s->send.k,
	    h.pkt_num, hdr, sizeof(hdr), payload, len) == -1 ||
	    ssu2_hdr_seal(out->data + off, total, s->send.hk1,
	    s->send.hk2) == -1) {
		out->err = 1;
		return -1;
	}
	*pn = s->send_pn++;
	return 0;
}

int
ssu2_data_open(const struct ssu2_session *s, uint8_t *pkt, size_t len,
    struct ssu2_hdr *h, const uint8_t **payload, size_t *plen)
{
	struct rbuf	 r;
	uint8_t		 plain[SSU2_EPH_HDR];
	const uint8_t	*ct;
	size_t		 ctlen;

	if (len > SSU2_PKT_MAX ||
	    ssu2_hdr_open(pkt, len, s->recv.hk1, s->recv.hk2, plain, h)
	    != SSU2_SHORT_HDR || h->type != SSU2_DATA ||
	    h->dst_id != s->recv.conn_id)
		return -1;
	rbuf_init(&r, pkt, len);
	rbuf_skip(&r, SSU2_SHORT_HDR);
	ctlen = rbuf_left(&r);
	if (rbuf_get_ptr(&r, &ct, ctlen) == -1 ||
	    chachapoly_decrypt((uint8_t *)ct, s->recv.k, h->pkt_num, plain,
	    SSU2_SHORT_HDR, ct, ctlen) == -1)
		return -1;
	*payload = ct;
	*plen = ctlen - POLY1305_TAG_LEN;
	return 0;
}

void
ssu2_session_wipe(struct ssu2_session *s)
{
	crypto_wipe(s, sizeof(*s));
}
