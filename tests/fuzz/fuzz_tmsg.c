/*
 * libFuzzer target: decrypted tunnel messages as a gateway (hostile or
 * not) lays them out (routerd/tmsg.c), their fragments fed to the
 * endpoint's reassembly (routerd/frag.c).  An input is cut into whole
 * 1024-byte messages, so one run can reassemble across messages.
 * Checked beyond the sanitizers:
 * every fragment handed over lies within its message, and a
 * reassembled message is no larger than the limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../../routerd/frag.h"
#include "../../routerd/tmsg.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct run {
	const uint8_t		*msg;
	struct frag_table	 ft;
};

FUZZ_INIT_DEFAULT

static volatile uint8_t	sink;

/* reads every byte of a reassembled message, so ASan sees overruns */
static void
done(void *arg, const struct tdi *dest, const uint8_t *msg, size_t len)
{
	uint8_t	sum = 0;
	size_t	i;

	if (len == 0 || len > FRAG_MSG_MAX)
		abort();
	for (i = 0; i < len; i++)
		sum ^= msg[i];
	sink = sum;
}

/*
 * Random bytes almost never carry a right checksum; for odd first
 * bytes the harness writes it, so the instructions get parsed.
 */
static void
fix_checksum(uint8_t msg[TMSG_LEN])
{
	uint8_t		*data = msg + TMSG_IV_LEN, *zero, h[32];
	unsigned int	 hl;
	EVP_MD_CTX	*md;

	if ((zero = memchr(data + 4, 0, TMSG_DATA_LEN - 4)) == NULL ||
	    (md = EVP_MD_CTX_new()) == NULL)
		return;
	zero++;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, zero, data + TMSG_DATA_LEN - zero) == 1 &&
	    EVP_DigestUpdate(md, msg, TMSG_IV_LEN) == 1 &&
	    EVP_DigestFinal_ex(md, h, &hl) == 1)
		memcpy(data, h, 4);
	EVP_MD_CTX_free(md);
}

static int
fragment(void *arg, const struct tdi *t)
{
	struct run	*r = arg;
	const char	*why;

	if (t->frag < r->msg + TMSG_IV_LEN || t->frag + t->size >
	    r->msg + TMSG_LEN || t->size == 0)
		abort();
	frag_add(&r->ft, t, 0, done, NULL, &why);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct run	 r;
	uint8_t		 msg[TMSG_LEN];
	const char	*why = NULL;
	size_t		 off;

	frag_init(&r.ft);
	for (off = 0; off + TMSG_LEN <= len; off += TMSG_LEN) {
		memcpy(msg, data + off, TMSG_LEN);
		if (data[0] & 1)
			fix_checksum(msg);
		r.msg = msg;
		if (tmsg_parse(msg, fragment, &r, &why) == -1 && why == NULL)
			abort();
	}
	frag_free(&r.ft);
	return 0;
}
