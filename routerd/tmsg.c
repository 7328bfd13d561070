/*
 * Tunnel messages: the layer crypto every hop applies and the cleartext
 * layout gateways write and endpoints read (tmsg.h).  Parsing goes
 * through the buffer reader; every field is checked before use.
 */
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "crypto.h"
#include "tmsg.h"

/* for CBC, the chaining value starts at zero (see cbc_encrypt) */
static EVP_CIPHER_CTX *
cipher(const EVP_CIPHER *c, const uint8_t key[32], int enc)
{
	static const uint8_t	 zero_iv[16];
	EVP_CIPHER_CTX		*ctx;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return NULL;
	if (EVP_CipherInit_ex(ctx, c, NULL, key, zero_iv, enc) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int
tmsg_layer_init(struct tmsg_layer *l, const uint8_t layer_key[32],
    const uint8_t iv_key[32])
{
	l->iv_enc = cipher(EVP_aes_256_ecb(), iv_key, 1);
	l->iv_dec = cipher(EVP_aes_256_ecb(), iv_key, 0);
	l->data_enc = cipher(EVP_aes_256_cbc(), layer_key, 1);
	l->data_dec = cipher(EVP_aes_256_cbc(), layer_key, 0);
	memset(l->enc_chain, 0, sizeof(l->enc_chain));
	memset(l->dec_chain, 0, sizeof(l->dec_chain));
	if (l->iv_enc == NULL || l->iv_dec == NULL || l->data_enc == NULL ||
	    l->data_dec == NULL) {
		tmsg_layer_free(l);
		return -1;
	}
	return 0;
}

void
tmsg_layer_free(struct tmsg_layer *l)
{
	EVP_CIPHER_CTX_free(l->iv_enc);
	EVP_CIPHER_CTX_free(l->iv_dec);
	EVP_CIPHER_CTX_free(l->data_enc);
	EVP_CIPHER_CTX_free(l->data_dec);
	memset(l, 0, sizeof(*l));
}

/* one ECB block in place */
static int
block(EVP_CIPHER_CTX *ctx, uint8_t b[16])
{
	int	n;

	return EVP_CipherUpdate(ctx, b, &n, b, 16) == 1 && n == 16 ? 0 : -1;
}

/*
 * CBC under a new IV for each message, in place, without a new IV in
 * the context: setting one costs OpenSSL a parameter lookup by name,
 * much of a participant's time.  The context chains each call on from
 * the last ciphertext block of the one before (chain), so the first
 * block is fed in XORed with chain ^ iv: the same as starting at iv.
 */
/* after a failure the context's state is unknown: back to zero */
static int
chain_reset(EVP_CIPHER_CTX *ctx, uint8_t chain[16])
{
	static const uint8_t	zero_iv[16];

	memset(chain, 0, 16);
	EVP_CipherInit_ex(ctx, NULL, NULL, NULL, zero_iv, -1);
	return -1;
}

static int
cbc_encrypt(EVP_CIPHER_CTX *ctx, uint8_t chain[16], const uint8_t iv[16],
    uint8_t *data)
{
	int	n, i;

	for (i = 0; i < 16; i++)
		data[i] ^= chain[i] ^ iv[i];
	if (EVP_CipherUpdate(ctx, data, &n, data, TMSG_DATA_LEN) != 1 ||
	    n != TMSG_DATA_LEN)
		return chain_reset(ctx, chain);
	memcpy(chain, data + TMSG_DATA_LEN - 16, 16);
	return 0;
}

/* the inverse: the context XORs the first block with chain, not iv */
static int
cbc_decrypt(EVP_CIPHER_CTX *ctx, uint8_t chain[16], const uint8_t iv[16],
    uint8_t *data)
{
	uint8_t	last[16];
	int	n, i;

	memcpy(last, data + TMSG_DATA_LEN - 16, 16);
	if (EVP_CipherUpdate(ctx, data, &n, data, TMSG_DATA_LEN) != 1 ||
	    n != TMSG_DATA_LEN)
		return chain_reset(ctx, chain);
	for (i = 0; i < 16; i++)
		data[i] ^= chain[i] ^ iv[i];
	memcpy(chain, last, 16);
	return 0;
}

/* IV' = E(iv key, IV); data = CBC(layer key, IV', data); IV'' = E(IV') */
int
tmsg_encrypt(struct tmsg_layer *l, uint8_t msg[TMSG_LEN])
{
	if (block(l->iv_enc, msg) == -1 || cbc_encrypt(l->data_enc,
	    l->enc_chain, msg, msg + TMSG_IV_LEN) == -1)
		return -1;
	return block(l->iv_enc, msg);
}

int
tmsg_decrypt(struct tmsg_layer *l, uint8_t msg[TMSG_LEN])
{
	if (block(l->iv_dec, msg) == -1 || cbc_decrypt(l->data_dec,
	    l->dec_chain, msg, msg + TMSG_IV_LEN) == -1)
		return -1;
	return block(l->iv_dec, msg);
}

size_t
tdi_len(const struct tdi *t)
{
	size_t	n = 1 + 2;			/* flag, size */

	if (t->follow_on)
		return n + 4;
	if (t->type == TDI_TUNNEL)
		n += 4 + 32;
	else if (t->type == TDI_ROUTER)
		n += 32;
	return n + (t->fragmented ? 4 : 0);
}

/* the first 4 bytes of SHA-256(payload || IV); -1 if hashing failed */
static int
checksum(const uint8_t *payload, size_t len, const uint8_t iv[16],
    uint8_t out[4])
{
	EVP_MD_CTX	*md = EVP_MD_CTX_new();
	uint8_t		 h[32];
	unsigned int	 hl;
	int		 ok;

	ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, payload, len) == 1 &&
	    EVP_DigestUpdate(md, iv, 16) == 1 &&
	    EVP_DigestFinal_ex(md, h, &hl) == 1;
	EVP_MD_CTX_free(md);
	memcpy(out, h, 4);
	return ok ? 0 : -1;
}

static int
get_first(struct rbuf *r, uint8_t flag, struct tdi *t, const char **why)
{
	t->type = (flag >> 5) & 3;
	t->fragmented = (flag & 0x08) != 0;
	*why = "delivery type 3";
	if (t->type == 3)
		return -1;
	/* never implemented anywhere: refuse rather than guess a layout */
	*why = "delay or extended options in delivery instructions";
	if (flag & (0x10 | 0x04))
		return -1;
	*why = "truncated delivery instructions";
	if (t->type == TDI_TUNNEL && (rbuf_get_u32(r, &t->tunnel_id) == -1 ||
	    rbuf_get_bytes(r, t->hash, 32) == -1))
		return -1;
	if (t->type == TDI_ROUTER && rbuf_get_bytes(r, t->hash, 32) == -1)
		return -1;
	if (t->fragmented && rbuf_get_u32(r, &t->msg_id) == -1)
		return -1;
	*why = "tunnel ID 0 in delivery instructions";
	return t->type == TDI_TUNNEL && t->tunnel_id == 0 ? -1 : 0;
}

/* one instruction and its fragment */
static int
get_tdi(struct rbuf *r, struct tdi *t, const char **why)
{
	uint8_t	flag;

	memset(t, 0, sizeof(*t));
	if (rbuf_get_u8(r, &flag) == -1)
		return -1;
	if (flag & 0x80) {
		t->follow_on = 1;
		t->frag_num = (flag >> 1) & 0x3f;
		t->last = flag & 1;
		*why = "truncated delivery instructions";
		if (rbuf_get_u32(r, &t->msg_id) == -1)
			return -1;
		*why = "follow-on fragment number 0";
		if (t->frag_num == 0)
			return -1;
	} else if (get_first(r, flag, t, why) == -1)
		return -1;
	*why = "truncated delivery instructions";
	if (rbuf_get_u16(r, &t->size) == -1)
		return -1;
	*why = "fragment of size 0";
	if (t->size == 0)
		return -1;
	*why = "fragment beyond the message";
	return rbuf_get_ptr(r, &t->frag, t->size);
}

int
tmsg_parse(const uint8_t msg[TMSG_LEN], tmsg_cb cb, void *arg,
    const char **why)
{
	const uint8_t	*data = msg + TMSG_IV_LEN, *zero;
	struct rbuf	 r;
	struct tdi	 t;
	uint8_t		 sum[4];
	int		 rv;

	*why = "no zero byte after the padding";
	if ((zero = memchr(data + 4, 0, TMSG_DATA_LEN - 4)) == NULL)
		return -1;
	zero++;
	*why = "bad checksum";
	if (checksum(zero, data + TMSG_DATA_LEN - zero, msg, sum) == -1 ||
	    memcmp(sum, data, 4) != 0)
		return -1;
	rbuf_init(&r, zero, data + TMSG_DATA_LEN - zero);
	while (rbuf_left(&r) > 0) {
		if (get_tdi(&r, &t, why) == -1)
			return -1;
		if ((rv = cb(arg, &t)) != 0)
			return rv;
	}
	return 0;
}

static void
put_tdi(struct wbuf *w, const struct tdi *t)
{
	if (t->follow_on) {
		wbuf_put_u8(w, 0x80 | (t->frag_num & 0x3f) << 1 |
		    (t->last ? 1 : 0));
		wbuf_put_u32(w, t->msg_id);
	} else {
		wbuf_put_u8(w, (t->type & 3) << 5 | (t->fragmented ? 0x08 : 0));
		if (t->type == TDI_TUNNEL)
			wbuf_put_u32(w, t->tunnel_id);
		if (t->type == TDI_TUNNEL || t->type == TDI_ROUTER)
			wbuf_put_bytes(w, t->hash, 32);
		if (t->fragmented)
			wbuf_put_u32(w, t->msg_id);
	}
	wbuf_put_u16(w, t->size);
	wbuf_put_bytes(w, t->frag, t->size);
}

/* random bytes none of which is zero */
static void
nonzero_random(uint8_t *p, size_t len)
{
	size_t	i;

	crypto_random_fill(p, len);
	for (i = 0; i < len; i++)
		while (p[i] == 0)
			crypto_random_fill(&p[i], 1);
}

int
tmsg_build(uint8_t msg[TMSG_LEN], const uint8_t iv[TMSG_IV_LEN],
    const struct tdi *t, size_t n)
{
	uint8_t		*data = msg + TMSG_IV_LEN, *payload;
	struct wbuf	 w;
	size_t		 total = 0, i;

	for (i = 0; i < n; i++) {
		if (t[i].size == 0 || (t[i].follow_on && (t[i].frag_num == 0 ||
		    t[i].frag_num > TDI_FRAG_MAX)) || t[i].type > TDI_ROUTER)
			return -1;
		total += tdi_len(&t[i]) + t[i].size;
	}
	if (total > TMSG_ROOM)
		return -1;
	memcpy(msg, iv, TMSG_IV_LEN);
	payload = data + TMSG_DATA_LEN - total;
	nonzero_random(data + 4, payload - 1 - (data + 4));
	payload[-1] = 0;
	wbuf_init_fixed(&w, payload, total);
	for (i = 0; i < n; i++)
		put_tdi(&w, &t[i]);
	if (wbuf_error(&w) || wbuf_len(&w) != total)
		return -1;
	return checksum(payload, total, iv, data);
}
