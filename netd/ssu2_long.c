/*
 * SSU2 messages outside Noise (ssu2.rst "Token Request", "Retry",
 * "Peer Test", "Hole Punch"): a long header and one AEAD keyed with an
 * intro key (Bob's for Token Request and Retry, Alice's or Charlie's
 * for Peer Test, Alice's for Hole Punch), the nonce being the packet
 * number and the 32-byte plaintext header the associated data; header
 * protection uses that same key twice.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ssu2.h"

enum ssu2_reason
ssu2_long_check(const struct ssu2_hdr *h, uint8_t netid)
{
	if (h->flags[0] != SSU2_VERSION)
		return SSU2_R_INCOMPATIBLE_VERSION;
	if (h->flags[1] != netid)
		return SSU2_R_WRONG_NETID;
	if (h->src_id == h->dst_id)
		return SSU2_R_PAYLOAD_FORMAT_ERROR;
	return SSU2_R_NORMAL;
}

void
ssu2_nonce_ids(uint32_t nonce, uint64_t *dst, uint64_t *src)
{
	*dst = ((uint64_t)nonce << 32) | nonce;
	*src = ~*dst;
}

int
ssu2_long_seal(const struct ssu2_hdr *h, const uint8_t key[32],
    const uint8_t *payload, size_t plen, struct wbuf *out)
{
	struct wbuf	 hw;
	uint8_t		 hdr[SSU2_LONG_HDR];
	size_t		 off, total;

	if (!ssu2_is_long(h->type) || plen < SSU2_PAYLOAD_MIN)
		return -1;
	total = SSU2_LONG_HDR + plen + POLY1305_TAG_LEN;
	wbuf_init_fixed(&hw, hdr, sizeof(hdr));
	if (ssu2_hdr_put(&hw, h) == -1 || wbuf_reserve(out, total, &off) == -1)
		return -1;
	memcpy(out->data + off, hdr, sizeof(hdr));
	if (chachapoly_encrypt(out->data + off + SSU2_LONG_HDR, key,
	    h->pkt_num, hdr, sizeof(hdr), payload, plen) == -1 ||
	    ssu2_hdr_seal(out->data + off, total, key, key) == -1) {
		out->err = 1;
		return -1;
	}
	return 0;
}

int
ssu2_long_open(const uint8_t *pkt, size_t len, const uint8_t key[32],
    uint8_t type, struct ssu2_hdr *h, uint8_t plain[SSU2_PKT_MAX],
    size_t *plen)
{
	struct rbuf	 r;
	uint8_t		 hdr[SSU2_EPH_HDR];
	const uint8_t	*ct;
	size_t		 ctlen;

	if (len > SSU2_PKT_MAX ||
	    ssu2_hdr_open(pkt, len, key, key, hdr, h) != SSU2_LONG_HDR ||
	    h->type != type)
		return -1;
	rbuf_init(&r, pkt, len);
	rbuf_skip(&r, SSU2_LONG_HDR);
	ctlen = rbuf_left(&r);
	if (rbuf_get_ptr(&r, &ct, ctlen) == -1 ||
	    chachapoly_decrypt(plain, key, h->pkt_num, hdr, SSU2_LONG_HDR, ct,
	    ctlen) == -1)
		return -1;
	*plen = ctlen - POLY1305_TAG_LEN;
	return 0;
}
