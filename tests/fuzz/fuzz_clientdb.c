/*
 * libFuzzer target: what reaches routerd/clientdb.c from outside.  The
 * input is, in turn, the cleartext of a floodfill's reply to a lookup
 * of a client's (sealed under the key and tag the lookup gave, so that
 * the blocks, cloves, DatabaseStores and DatabaseSearchReplies inside
 * are parsed), a Garlic message at the client's inbound end as it
 * comes, a DeliveryStatus, and a LeaseSet in LS_PUBLISH.  Checked
 * beyond the sanitizers: a LeaseSet handed to tunneld is never larger
 * than LS_MAX and comes with a store type, and a refusal has a reason.
 */
#include <bsd/string.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/routerd.h"
#include "../../routerd/client.h"
#include "../../routerd/kad.h"
#include "../../routerd/lookup.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define CLIENT	7
#define NFF	4

static uint8_t		 ffl[NFF][32];
static struct dblookup	 last;		/* the last lookup sent */
static int		 have_last;

static int
f_send(uint32_t client, const uint8_t ff[32], const struct i2np_hdr *h,
    const uint8_t *p, size_t len)
{
	const char	*why;

	if (h->type == I2NP_DATABASE_LOOKUP &&
	    dbl_parse(&last, p, len, &why) == 0)
		have_last = 1;
	return 0;
}

static int
f_reply_path(uint32_t client, uint8_t gw[32], uint32_t *tid)
{
	memset(gw, 0x99, 32);
	*tid = 1234;
	return 0;
}

static size_t
f_closest(const uint8_t key[32], int (*skip)(const uint8_t [32], void *),
    void *arg, struct kad_near *near, size_t max)
{
	struct kad_closest	c;
	uint8_t			target[32], rkey[32];
	uint32_t		day = kad_day(time(NULL));
	int			i;

	kad_routing_key(target, key, day);
	kad_closest_init(&c, target, near, max);
	for (i = 0; i < NFF; i++)
		if (skip == NULL || !skip(ffl[i], arg)) {
			kad_routing_key(rkey, ffl[i], day);
			kad_closest_offer(&c, rkey, ffl[i]);
		}
	return c.n;
}

static int
f_is_floodfill(const uint8_t hash[32])
{
	return hash[0] & 1;
}

static void
f_status(const struct ls_status *s)
{
}

static void
f_found(const struct ls_found *f, const uint8_t *ls, size_t len)
{
	if (len > LS_MAX || (f->type != 0) != (ls != NULL))
		abort();
}

static const struct clientdb_ops fakes = {
	f_send, f_reply_path, f_closest, f_is_floodfill, f_status, f_found
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct pool_open	po;
	int			i;

	crypto_init();
	for (i = 0; i < NFF; i++)
		memset(ffl[i], 0x10 + i, 32);
	clientdb_init(&fakes, 0);
	memset(&po, 0, sizeof(po));
	po.client = CLIENT;
	memset(po.dest, 0x42, 32);	/* the key LS_PUBLISH names */
	strlcpy(po.name, "fuzz", sizeof(po.name));
	po.length[0] = po.length[1] = 1;
	po.quantity[0] = po.quantity[1] = 1;
	tunnels_pool_open(&po);
	return 0;
}

/* the input as the cleartext of the last lookup's reply */
static void
sealed_reply(const uint8_t *data, size_t len, uint64_t now)
{
	uint8_t	*msg;

	if (!have_last || (msg = malloc(len + 12 + 16)) == NULL)
		return;
	msg[0] = (len + 8 + 16) >> 24;
	msg[1] = (len + 8 + 16) >> 16;
	msg[2] = (len + 8 + 16) >> 8;
	msg[3] = len + 8 + 16;
	memcpy(msg + 4, last.reply_tag, 8);
	if (chachapoly_encrypt(msg + 12, last.reply_key, 0, last.reply_tag, 8,
	    data, len) == 0 && clientdb_garlic(CLIENT, msg, len + 12 + 16,
	    now) != 1)
		abort();
	free(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ls_lookup	 req;
	struct ls_publish	 lp;
	const char		*why = NULL;
	uint64_t		 now = (uint64_t)time(NULL) * 1000;

	memset(&req, 0, sizeof(req));
	req.client = CLIENT;
	req.reqid = 1;
	memset(req.key, 0x42, 32);
	have_last = 0;
	clientdb_lookup(&req, now);
	if (len < 65536)
		sealed_reply(data, len, now);
	clientdb_garlic(CLIENT, data, len, now);
	clientdb_status(CLIENT, data, len, now);
	memset(&lp, 0, sizeof(lp));
	lp.client = CLIENT;
	lp.type = len > 0 ? data[0] : 3;
	memset(lp.key, 0x42, 32);
	if (len <= LS_MAX && clientdb_publish(&lp, data, len, now, &why) ==
	    -1 && why == NULL)
		abort();
	clientdb_close(CLIENT);
	return 0;
}
