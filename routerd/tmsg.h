/*
 * Tunnel messages (tunnel-message.rst, tunnels/implementation.html):
 * the 1024 bytes after a TunnelData's tunnel ID, an IV and 1008 bytes
 * of data.  Each hop's layer: AES-256 of the IV (ECB, the IV key), of
 * the data (CBC, the layer key, under that IV) and of the IV again.
 * Cleartext: a checksum, nonzero padding, a zero byte, then delivery
 * instructions each followed by an I2NP message or a fragment of one.
 */
#ifndef I2PRD_TMSG_H
#define I2PRD_TMSG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define TMSG_LEN		1024	/* IV and data */
#define TMSG_IV_LEN		16
#define TMSG_DATA_LEN		1008
#define TUNNEL_DATA_LEN		(4 + TMSG_LEN)	/* with the tunnel ID */

/* one hop's keys, with their AES key schedules made once */
struct tmsg_layer {
	EVP_CIPHER_CTX	*iv_enc, *iv_dec;	/* AES-256-ECB, IV key */
	EVP_CIPHER_CTX	*data_enc, *data_dec;	/* AES-256-CBC, layer key */
	uint8_t		 enc_chain[16];		/* data_enc's CBC state */
	uint8_t		 dec_chain[16];		/* data_dec's */
};
int	 tmsg_layer_init(struct tmsg_layer *, const uint8_t layer_key[32],
	    const uint8_t iv_key[32]);
void	 tmsg_layer_free(struct tmsg_layer *);
/* what a participant does, in place; and its inverse for creators */
int	 tmsg_encrypt(struct tmsg_layer *, uint8_t msg[TMSG_LEN]);
int	 tmsg_decrypt(struct tmsg_layer *, uint8_t msg[TMSG_LEN]);

/* delivery instructions: where a fragment's message goes */
#define TDI_LOCAL		0
#define TDI_TUNNEL		1
#define TDI_ROUTER		2
#define TDI_FRAG_MAX		63	/* follow-on fragment numbers 1-63 */

struct tdi {
	int		 follow_on;	/* a fragment after the first */
	uint8_t		 type;		/* TDI_*, first fragments */
	uint32_t	 tunnel_id;	/* TDI_TUNNEL */
	uint8_t		 hash[32];	/* TDI_TUNNEL gateway, TDI_ROUTER */
	int		 fragmented;	/* first of several */
	uint32_t	 msg_id;	/* fragmented or follow-on */
	uint8_t		 frag_num;	/* follow-on: 1-63 */
	int		 last;		/* follow-on: the message's last */
	const uint8_t	*frag;		/* the fragment, in the message */
	uint16_t	 size;
};

/* the instructions' length for t (the fragment not counted) */
size_t	 tdi_len(const struct tdi *);

/*
 * Parses decrypted tunnel message: checksum, padding, then each
 * instruction and fragment to cb (non-zero from cb stops).  0, cb's
 * value, or -1 with a reason.
 */
typedef int (*tmsg_cb)(void *, const struct tdi *);
int	 tmsg_parse(const uint8_t msg[TMSG_LEN], tmsg_cb, void *,
	    const char **why);

/*
 * Lays out a cleartext tunnel message under iv: the n instructions
 * and their fragments at the end, random nonzero padding before them,
 * the checksum.  -1 if they do not fit.
 */
int	 tmsg_build(uint8_t msg[TMSG_LEN], const uint8_t iv[TMSG_IV_LEN],
	    const struct tdi *, size_t n);
/* room for instructions and fragments in one message */
#define TMSG_ROOM		(TMSG_DATA_LEN - 4 - 1)

#endif /* I2PRD_TMSG_H */
