/*
 * libFuzzer target: cryptod's replies to SAM's key requests as tunneld
 * reads them (tunneld/destkeys.c).  Each input answers one of three
 * requests in flight (generate, transient, import): the first byte
 * picks the reply type and the request, the rest is the payload.
 * Checked beyond the sanitizers: the payload is wiped, a callback comes
 * at most once, and only for a reply that was taken.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "../../tunneld/destkeys.h"
#include "fuzz.h"

FUZZ_INIT_DEFAULT

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 calls;

static void
fake_send(uint32_t type, uint32_t reqid, const void *data, size_t len)
{
	(void)type;
	(void)reqid;
	(void)data;
	(void)len;
}

static const struct destkeys_ops ops = { .send = fake_send };

static void
got(void *arg, uint32_t reqid, const struct destkey *k, int code,
    const char *msg)
{
	(void)arg;
	(void)reqid;
	if (k == NULL && msg == NULL)
		abort();
	if (k != NULL && k->priv != NULL && k->privlen == 0)
		abort();
	calls++;
}

static const uint32_t types[] = {
	IMSG_KEY_DEST_PRIV, IMSG_KEY_DEST_MADE, IMSG_KEY_ERROR, IMSG_KEY_END
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t	 buf[8192], zero[sizeof(buf)];
	uint32_t	 reqid[3];
	const char	*why;
	int		 rv;

	if (len == 0 || len - 1 > sizeof(buf))
		return 0;
	destkeys_init(&ops);
	calls = 0;
	if (destkeys_generate(1, 7, data[0] & 0x10 ? 4 : 0, got, NULL,
	    &reqid[0], &why) == -1 ||
	    destkeys_transient(1, 7, 0, got, NULL, &reqid[1], &why) == -1 ||
	    destkeys_import(2, data, len < KEY_PRIV_MAX ? len : KEY_PRIV_MAX,
	    got, NULL, &reqid[2], &why) == -1)
		abort();
	memcpy(buf, data + 1, len - 1);
	rv = destkeys_reply(types[data[0] & 3], reqid[(data[0] >> 2) % 3],
	    buf, len - 1, &why);
	if (memcmp(buf, zero, len - 1) != 0)
		abort();
	if (calls > 1 || (rv == -1 && calls != 0) ||
	    (rv == 0 && (data[0] & 3) < 3 && calls != 1))
		abort();
	return 0;
}
