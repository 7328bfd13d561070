/*
 * A hostile peer for the tunnel code of a live router: over one NTCP2
 * session it sends tunnel build messages, TunnelData, TunnelGateway,
 * build replies and garlic that are malformed, truncated, aimed at
 * tunnels that do not exist, or replayed, then random messages of
 * those types:
 *
 *   tunnel_probe RI_FILE FROM_ADDR [RANDOM_COUNT]
 *
 * RI_FILE is the target's RouterInfo.  Prints how many messages went
 * out; the test script checks what the router counted and that it is
 * still serving.
 *
 *   tunnel_probe RI_FILE FROM_ADDR long
 *
 * instead asks the router, in a VariableTunnelBuild with long ECIES
 * records sealed here from the spec, to be a participant whose next hop
 * is this probe; prints "long: reply code N" from the reply record the
 * router sends on to us, or why there was none.
 *
 *   tunnel_probe RI_FILE FROM_ADDR obep FLOODFILL_RI_FILE
 *
 * makes the router the outbound endpoint of a one-hop tunnel of ours
 * and sends through it a DeliveryStatus for a router it cannot know: a
 * new one, whose RouterInfo we stored at the floodfill just before.
 * The router must hold the message, look the router up and send it on
 * (its "show transit" counts that); prints "obep: sent".
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
#include "../../routerd/tmsg.h"

#define REC_LEN		218	/* a short build record */
#define LONG_LEN	528	/* a long one (VariableTunnelBuild) */
#define TD_LEN		1028	/* TunnelData: tunnel ID, IV, data */

static struct ntcp2_session	 sess;
static int			 conn = -1;
static unsigned			 sent;

static int
send_msg(uint8_t type, const uint8_t *payload, size_t len)
{
	if (tp_send_i2np(conn, &sess, type, payload, len) == -1)
		return -1;
	sent++;
	return 0;
}

/* build messages: counts that lie, records none of which is ours,
   one that is ours by its hash but does not decrypt, and the same again */
static int
bad_builds(const uint8_t hash[32])
{
	static uint8_t	m[1 + 8 * LONG_LEN];
	uint8_t		type[] = { I2NP_SHORT_TUNNEL_BUILD,
			    I2NP_OUTBOUND_TUNNEL_BUILD_REPLY };
	size_t		i;

	for (i = 0; i < sizeof(type); i++) {
		crypto_random(m, sizeof(m));
		m[0] = 0;
		if (send_msg(type[i], m, 1) == -1)
			return -1;
		m[0] = 9;
		if (send_msg(type[i], m, 1 + 8 * REC_LEN) == -1)
			return -1;
		m[0] = 4;
		if (send_msg(type[i], m, 1 + 3 * REC_LEN) == -1 ||
		    send_msg(type[i], m, 1 + 4 * REC_LEN) == -1)
			return -1;
	}
	memcpy(m + 1 + REC_LEN, hash, 16);	/* record 1 "for" the router */
	if (send_msg(I2NP_SHORT_TUNNEL_BUILD, m, 1 + 4 * REC_LEN) == -1 ||
	    send_msg(I2NP_SHORT_TUNNEL_BUILD, m, 1 + 4 * REC_LEN) == -1)
		return -1;
	/* long records: one "for" the router, undecryptable */
	m[0] = 4;
	memcpy(m + 1 + 2 * LONG_LEN, hash, 16);
	if (send_msg(I2NP_VARIABLE_TUNNEL_BUILD, m, 1 + 4 * LONG_LEN) == -1)
		return -1;
	return send_msg(I2NP_VARIABLE_TUNNEL_BUILD, m, 1 + 4 * LONG_LEN - 1);
}

/*
 * A genuine build record, sent twice: the router opens the first and
 * counts the second as replayed (only records that opened are
 * remembered: junk must not fill the filter).
 */
static int
replayed_build(const struct ntcp2_remote *rem, const uint8_t rem_pub[32],
    const uint8_t me_hash[32])
{
	static uint8_t	 bmsg[BUILD_MSG_MAX];
	struct build	 b;
	int		 len, rv;

	memset(&b, 0, sizeof(b));
	b.inbound = 1;
	b.nhops = 1;
	memcpy(b.hops[0].hash, rem->hash, 32);
	memcpy(b.hops[0].pub, rem_pub, 32);
	memcpy(b.self, me_hash, 32);
	if ((len = build_make(&b, time(NULL), bmsg)) == -1)
		return -1;
	rv = send_msg(I2NP_SHORT_TUNNEL_BUILD, bmsg, len) == -1 ||
	    send_msg(I2NP_SHORT_TUNNEL_BUILD, bmsg, len) == -1 ? -1 : 0;
	build_wipe(&b);
	return rv;
}

/* tunnel messages: wrong lengths, tunnels that do not exist */
static int
bad_data(void)
{
	static uint8_t	m[TD_LEN + 16];

	crypto_random(m, sizeof(m));
	if (send_msg(I2NP_TUNNEL_DATA, m, 0) == -1 ||
	    send_msg(I2NP_TUNNEL_DATA, m, TD_LEN - 1) == -1 ||
	    send_msg(I2NP_TUNNEL_DATA, m, TD_LEN + 1) == -1 ||
	    send_msg(I2NP_TUNNEL_DATA, m, TD_LEN) == -1 ||
	    send_msg(I2NP_TUNNEL_DATA, m, TD_LEN) == -1)
		return -1;
	/* TunnelGateway: truncated, length lying, unknown tunnel */
	m[4] = 0xff;
	m[5] = 0xff;
	if (send_msg(I2NP_TUNNEL_GATEWAY, m, 3) == -1 ||
	    send_msg(I2NP_TUNNEL_GATEWAY, m, 100) == -1)
		return -1;
	m[4] = 0;
	m[5] = 20;
	return send_msg(I2NP_TUNNEL_GATEWAY, m, 26);
}

/* garlic: too short, length field lying, unknown tag / bad key */
static int
bad_garlic(void)
{
	static uint8_t	m[600];

	crypto_random(m, sizeof(m));
	if (send_msg(I2NP_GARLIC, m, 3) == -1 ||
	    send_msg(I2NP_GARLIC, m, sizeof(m)) == -1)
		return -1;
	m[0] = m[1] = 0;
	m[2] = (sizeof(m) - 4) >> 8;
	m[3] = (sizeof(m) - 4) & 0xff;
	return send_msg(I2NP_GARLIC, m, sizeof(m));
}

static int
random_msgs(unsigned n)
{
	static const uint8_t	types[] = { I2NP_SHORT_TUNNEL_BUILD,
				    I2NP_OUTBOUND_TUNNEL_BUILD_REPLY,
				    I2NP_VARIABLE_TUNNEL_BUILD, I2NP_TUNNEL_DATA,
				    I2NP_TUNNEL_GATEWAY, I2NP_GARLIC,
				    I2NP_DELIVERY_STATUS };
	static uint8_t		m[2048];
	uint32_t		r;

	while (n-- > 0) {
		crypto_random(&r, sizeof(r));
		crypto_random(m, sizeof(m));
		/* lengths around the ones that mean something */
		if (send_msg(types[r % sizeof(types)], m,
		    (r >> 8) % 2 ? (r >> 9) % sizeof(m) :
		    (r >> 9) % 2 ? TD_LEN : 1 + 4 * REC_LEN) == -1)
			return -1;
	}
	return 0;
}

/*
 * One long record for the router (a participant, next hop us), three
 * random ones; the build comes back to us as the next hop, with the
 * router's reply in its record's place.
 */
static int
long_build(const struct ntcp2_remote *rem, const uint8_t rem_pub[32],
    const uint8_t me_hash[32])
{
	static uint8_t	 m[1 + 4 * LONG_LEN];
	uint8_t		 clear[464], eph[32], shared[32], reply[512];
	uint8_t		 n[12] = { 0 }, *rec;
	struct noise_ss	 ss;
	uint32_t	 msg_id = 0x4c4f4e47, id;	/* "LONG" */
	size_t		 mlen;
	int		 pos = 2;

	crypto_random(m, sizeof(m));
	m[0] = 4;
	memset(clear, 0, sizeof(clear));
	clear[3] = 11;				/* receive tunnel */
	clear[7] = 12;				/* next tunnel */
	memcpy(clear + 8, me_hash, 32);		/* next hop: us */
	crypto_random(clear + 40, 112);		/* layer, IV, reply keys */
	id = time(NULL) / 60;
	clear[156] = id >> 24;
	clear[157] = id >> 16;
	clear[158] = id >> 8;
	clear[159] = id;
	clear[162] = 0x02;			/* expiration 600 */
	clear[163] = 0x58;
	memcpy(clear + 164, &msg_id, 4);	/* next message ID */
	rec = m + 1 + pos * LONG_LEN;
	memcpy(rec, rem->hash, 16);
	if (x25519_keygen(eph, rec + 16) == -1 ||
	    x25519(shared, eph, rem_pub) == -1 ||
	    noise_n_start(&ss, rem_pub, rec + 16, shared) == -1 ||
	    noise_encrypt_and_hash(&ss, rec + 48, clear, sizeof(clear)) == -1 ||
	    send_msg(I2NP_VARIABLE_TUNNEL_BUILD, m, sizeof(m)) == -1)
		return -1;
	/* frames until the build comes back (10 s each at most) */
	if (tp_wait_i2np(conn, &sess, I2NP_VARIABLE_TUNNEL_BUILD, 0, 10000, m,
	    sizeof(m), &mlen, &id) == 0 && mlen == sizeof(m)) {
		if (chachapoly_decrypt_n(reply, ss.ck, n, ss.h, 32,
		    m + 1 + pos * LONG_LEN, LONG_LEN) == -1) {
			printf("long: the reply record does not open\n");
			return -1;
		}
		printf("long: reply code %u, message ID %s\n",
		    reply[511], id == ntohl(msg_id) ? "ours" : "other");
		return 0;
	}
	printf("long: no build message came back\n");
	return -1;
}

/* a session of our own with the router whose RouterInfo is in path */
static int
dial(const char *path, const char *from, const struct tp_me *me,
    struct ntcp2_remote *rem, struct ntcp2_session *s)
{
	struct tp_sizes	 sz;
	char		 host[64];
	unsigned	 port;
	int		 fd;

	if (tp_remote_load(path, rem, host, sizeof(host), &port) == -1 ||
	    (fd = tp_dial(from, host, port)) == -1)
		return -1;
	if (tp_alice(fd, me, rem, s, &sz) != TP_DONE) {
		close(fd);
		return -1;
	}
	return fd;
}

/* the new router's RouterInfo, stored at the floodfill */
static int
store_at(const char *ff_path, const char *from, const struct tp_me *me,
    const struct tp_me *other)
{
	static uint8_t		 dsm[RI_MAXLEN + 256];
	struct ntcp2_remote	 rem;
	struct ntcp2_session	 s;
	struct wbuf		 w;
	int			 fd, rv;

	if ((fd = dial(ff_path, from, me, &rem, &s)) == -1)
		return -1;
	wbuf_init_fixed(&w, dsm, sizeof(dsm));
	rv = dsm_build_ri(&w, other->local.hash, other->local.ri,
	    other->local.rilen, 0, 0, NULL) == -1 ? -1 :
	    tp_send_i2np(fd, &s, I2NP_DATABASE_STORE, dsm, wbuf_len(&w));
	sleep(1);
	tp_goodbye(fd, &s, 0);
	return rv;
}

/*
 * A one-hop outbound tunnel through the router, its endpoint; then one
 * TunnelData through it, pre-decrypted with the hop's layer as an
 * outbound gateway does, carrying a DeliveryStatus for `to'.
 */
static int
obep_hold(const struct ntcp2_remote *rem, const uint8_t rem_pub[32],
    const struct tp_me *me, const uint8_t to[32])
{
	static uint8_t		 bmsg[BUILD_MSG_MAX], reply[BUILD_MSG_MAX + 64];
	struct build		 b;
	struct tmsg_layer	 l;
	size_t			 rlen;
	struct tdi		 d;
	struct i2np_hdr		 h;
	struct wbuf		 w;
	uint8_t			 ds[12], m[64], td[4 + TMSG_LEN], iv[16];
	uint32_t		 id;
	int			 len;

	memset(&b, 0, sizeof(b));
	b.nhops = 1;
	memcpy(b.hops[0].hash, rem->hash, 32);
	memcpy(b.hops[0].pub, rem_pub, 32);
	memcpy(b.reply_gw, me->local.hash, 32);
	b.reply_tunnel = build_random_id();
	if ((len = build_make(&b, time(NULL), bmsg)) == -1 ||
	    send_msg(I2NP_SHORT_TUNNEL_BUILD, bmsg, len) == -1)
		return -1;
	/*
	 * The router took the tunnel once its reply comes to our reply
	 * tunnel (a TunnelGateway message to us): not a fixed wait, which
	 * a loaded machine outlasts
	 */
	if (tp_wait_i2np(conn, &sess, I2NP_TUNNEL_GATEWAY, 0, 30000, reply,
	    sizeof(reply), &rlen, NULL) == -1) {
		printf("obep: no build reply in 30 s\n");
		build_wipe(&b);
		return -1;
	}
	memset(ds, 0, sizeof(ds));
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DELIVERY_STATUS;
	h.msg_id = build_random_id();
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	wbuf_init_fixed(&w, m, sizeof(m));
	if (i2np_msg_write_long(&h, ds, sizeof(ds), &w) == -1)
		return -1;
	memset(&d, 0, sizeof(d));
	d.type = TDI_ROUTER;
	memcpy(d.hash, to, 32);
	d.frag = m;
	d.size = wbuf_len(&w);
	crypto_random(iv, sizeof(iv));
	id = htonl(b.hops[0].recv_id);
	memcpy(td, &id, 4);
	if (tmsg_build(td + 4, iv, &d, 1) == -1 ||
	    tmsg_layer_init(&l, b.hops[0].keys.layer_key,
	    b.hops[0].keys.iv_key) == -1)
		return -1;
	len = tmsg_decrypt(&l, td + 4);
	tmsg_layer_free(&l);
	build_wipe(&b);
	if (len == -1 || send_msg(I2NP_TUNNEL_DATA, td, sizeof(td)) == -1)
		return -1;
	printf("obep: sent\n");
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ntcp2_remote	 rem;
	struct tp_sizes		 sz;
	struct tp_me		*me;
	char			 host[64];
	unsigned		 port, nrandom;
	uint8_t			 pub[32];
	int			 long_mode, rv;

	if (argc < 3 || argc > 5 || (argc == 5 && strcmp(argv[3], "obep")) ||
	    (argc == 4 && strcmp(argv[3], "obep") == 0)) {
		fprintf(stderr, "usage: tunnel_probe RI_FILE FROM_ADDR "
		    "[RANDOM_COUNT | long | obep FLOODFILL_RI_FILE]\n");
		return 2;
	}
	nrandom = argc == 4 ? strtoul(argv[3], NULL, 10) : 500;
	long_mode = argc == 4 && strcmp(argv[3], "long") == 0;
	if (crypto_init() == -1 || (me = malloc(sizeof(*me))) == NULL ||
	    tp_remote_load(argv[1], &rem, host, sizeof(host), &port) == -1 ||
	    tp_me_make(me, argv[2], 30000) == -1 ||
	    (conn = tp_dial(argv[2], host, port)) == -1 ||
	    tp_alice(conn, me, &rem, &sess, &sz) != TP_DONE) {
		fprintf(stderr, "tunnel_probe: no session with %s\n", host);
		return 1;
	}
	if (argc == 5) {
		struct tp_me	*other;

		/* the new router: an identity and address of its own */
		if ((other = malloc(sizeof(*other))) == NULL ||
		    tp_me_make(other, argv[2], 30001) == -1 ||
		    tp_remote_crypto(argv[1], pub) == -1 ||
		    store_at(argv[4], argv[2], me, other) == -1) {
			fprintf(stderr, "tunnel_probe: no store at the "
			    "floodfill\n");
			return 1;
		}
		rv = obep_hold(&rem, pub, me, other->local.hash);
		sleep(1);
		tp_goodbye(conn, &sess, 0);
		return rv == 0 ? 0 : 1;
	}
	if (long_mode) {
		rv = tp_remote_crypto(argv[1], pub) == -1 ? -1 :
		    long_build(&rem, pub, me->local.hash);
		tp_goodbye(conn, &sess, 0);
		return rv == 0 ? 0 : 1;
	}
	if (tp_remote_crypto(argv[1], pub) == -1 ||
	    bad_builds(rem.hash) == -1 ||
	    replayed_build(&rem, pub, me->local.hash) == -1 ||
	    bad_data() == -1 ||
	    bad_garlic() == -1 || random_msgs(nrandom) == -1) {
		fprintf(stderr, "tunnel_probe: session lost after %u "
		    "messages\n", sent);
		return 1;
	}
	/* let the router read everything before the session ends */
	sleep(2);
	tp_goodbye(conn, &sess, 0);
	ntcp2_session_wipe(&sess);
	printf("tunnel_probe: %u messages sent\n", sent);
	return 0;
}
