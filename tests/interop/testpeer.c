/*
 * A router of the tests' own over the NTCP2 core: see testpeer.h.
 */
#include <arpa/inet.h>
#include <bsd/string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "testpeer.h"

static size_t
file_load(const char *path, uint8_t *buf, size_t sz)
{
	FILE	*f;
	size_t	 len;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	len = fread(buf, 1, sz, f);
	fclose(f);
	return len;
}

/* a RouterInfo file, parsed and its signature checked; NULL if not */
struct router_info *
tp_ri_load(const char *path)
{
	struct router_info	*ri;
	uint8_t			 raw[RI_MAXLEN + 1];
	size_t			 len;

	if ((ri = malloc(sizeof(*ri))) == NULL)
		return NULL;
	len = file_load(path, raw, sizeof(raw));
	if (ri_parse(ri, raw, len, NULL) == -1 || ri_verify(ri, NULL) == -1) {
		free(ri);
		return NULL;
	}
	return ri;
}

int
tp_remote_load(const char *path, struct ntcp2_remote *rem, char *host,
    size_t hostsz, unsigned *port)
{
	struct router_info		*ri;
	const struct router_address	*ra;
	unsigned long long		 v;
	int				 rv = -1;

	if ((ri = tp_ri_load(path)) == NULL)
		return -1;
	if ((ra = ri_find_addr(ri, "NTCP2")) == NULL ||
	    mapping_get_b64(&ra->options, "s", rem->static_pub, 32) == -1 ||
	    mapping_get_b64(&ra->options, "i", rem->iv, 16) == -1 ||
	    mapping_get(&ra->options, "host") == NULL ||
	    mapping_get_uint(&ra->options, "port", 65535, &v) == -1)
		goto done;
	memcpy(rem->hash, ri->ident.hash, 32);
	strlcpy(host, mapping_get(&ra->options, "host"), hostsz);
	*port = v;
	rv = 0;
 done:
	free(ri);
	return rv;
}

int
tp_ssu2_remote_load(const char *path, struct ssu2_remote *rem,
    struct sockaddr_in *sa)
{
	struct router_info		*ri;
	const struct router_address	*ra;
	unsigned long long		 port;
	int				 rv = -1;

	if ((ri = tp_ri_load(path)) == NULL)
		return -1;
	memset(sa, 0, sizeof(*sa));
	if ((ra = ri_find_addr(ri, "SSU2")) != NULL &&
	    mapping_get_b64(&ra->options, "s", rem->static_pub, 32) == 0 &&
	    mapping_get_b64(&ra->options, "i", rem->intro_key, 32) == 0 &&
	    mapping_get(&ra->options, "host") != NULL &&
	    mapping_get_uint(&ra->options, "port", 65535, &port) == 0 &&
	    inet_pton(AF_INET, mapping_get(&ra->options, "host"),
	    &sa->sin_addr) == 1) {
		sa->sin_family = AF_INET;
		sa->sin_port = htons(port);
		rv = 0;
	}
	free(ri);
	return rv;
}

int
tp_remote_crypto(const char *path, uint8_t pub[32])
{
	struct router_info	*ri;
	int			 rv = -1;

	if ((ri = tp_ri_load(path)) == NULL)
		return -1;
	if (ri->ident.cryptotype == 4) {
		memcpy(pub, ri->ident.crypto_pub, 32);
		rv = 0;
	}
	free(ri);
	return rv;
}

int
tp_wait_i2np(int fd, struct ntcp2_session *s, uint8_t want, uint32_t want_id,
    int timeout_ms, uint8_t *out, size_t outsz, size_t *outlen,
    uint32_t *msg_id)
{
	static uint8_t	 buf[NTCP2_FRAME_MAX];
	struct rbuf	 r, blk, body;
	const uint8_t	*b;
	uint32_t	 id, got;
	uint16_t	 size;
	uint8_t		 type, mtype;
	size_t		 plen;

	while (tp_read_frame(fd, s, buf, &plen, timeout_ms) == 0) {
		rbuf_init(&r, buf, plen);
		while (rbuf_get_u8(&r, &type) == 0 &&
		    rbuf_get_u16(&r, &size) == 0 &&
		    rbuf_get_ptr(&r, &b, size) == 0) {
			rbuf_init(&blk, b, size);
			if (type != NTCP2_B_I2NP ||
			    rbuf_get_u8(&blk, &mtype) == -1 ||
			    rbuf_get_u32(&blk, &id) == -1 ||
			    rbuf_skip(&blk, 4) == -1 || mtype != want ||
			    rbuf_left(&blk) > outsz)
				continue;
			body = blk;
			if (want_id != 0 && (rbuf_get_u32(&body, &got) == -1 ||
			    got != want_id))
				continue;
			*outlen = rbuf_left(&blk);
			if (msg_id != NULL)
				*msg_id = id;
			return rbuf_get_bytes(&blk, out, *outlen);
		}
	}
	return -1;
}

/* one I2NP message (short header, ID random) in a frame of its own */
int
tp_send_i2np(int fd, struct ntcp2_session *s, uint8_t type,
    const uint8_t *payload, size_t len)
{
	static uint8_t	 plain[NTCP2_FRAME_MAX], frame[NTCP2_FRAME_MAX + 2];
	static uint8_t	 msg[NTCP2_FRAME_MAX];
	struct wbuf	 w, f;
	uint32_t	 id;

	if (len + 9 + 3 > sizeof(msg))
		return -1;
	crypto_random(&id, sizeof(id));
	wbuf_init_fixed(&w, msg, sizeof(msg));
	wbuf_put_u8(&w, type);
	wbuf_put_u32(&w, id);
	wbuf_put_u32(&w, time(NULL) + 60);
	wbuf_put_bytes(&w, payload, len);
	wbuf_init_fixed(&f, plain, sizeof(plain));
	if (wbuf_error(&w) || ntcp2_put_i2np(&f, msg, wbuf_len(&w)) == -1)
		return -1;
	wbuf_init_fixed(&w, frame, sizeof(frame));
	if (ntcp2_frame_seal(&s->send, plain, wbuf_len(&f), &w) != NTCP2_OK)
		return -1;
	return tp_write_full(fd, frame, wbuf_len(&w));
}

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* an NTCP2 address, or an SSU2 one if intro (its "i") is given */
static void
me_address(struct router_address *ra, const struct tp_me *me,
    const char *addr, unsigned port, const uint8_t *intro)
{
	char	 b64[64], portstr[8];

	ra->cost = 3;
	strlcpy(ra->style, intro != NULL ? "SSU2" : "NTCP2", sizeof(ra->style));
	mapping_init(&ra->options);
	mapping_set(&ra->options, "host", addr);
	snprintf(portstr, sizeof(portstr), "%u", port);
	mapping_set(&ra->options, "port", portstr);
	b64_encode(b64, sizeof(b64), me->local.static_pub, 32);
	mapping_set(&ra->options, "s", b64);
	if (intro != NULL)
		b64_encode(b64, sizeof(b64), intro, 32);
	else
		b64_encode(b64, sizeof(b64), me->local.iv, 16);
	mapping_set(&ra->options, "i", b64);
	mapping_set(&ra->options, "v", "2");
}

static int
me_make(struct tp_me *me, const char *addr, unsigned port, const char *caps,
    const uint8_t *intro)
{
	struct router_info	*ri;
	int			 rv = -1;

	if ((ri = calloc(1, sizeof(*ri))) == NULL)
		return -1;
	if (ed25519_keygen(me->seed, me->sign_pub) == -1 ||
	    x25519_keygen(me->enc_priv, me->enc_pub) == -1 ||
	    x25519_keygen(me->s_priv, me->local.static_pub) == -1 ||
	    crypto_random(me->local.iv, 16) == -1 ||
	    ident_build(&ri->ident, IDENT_ROUTER, me->enc_pub, me->sign_pub,
	    NULL) == -1)
		goto done;
	ri->published = (uint64_t)time(NULL) * 1000;
	ri->naddrs = 1;
	me_address(&ri->addrs[0], me, addr, port, intro);
	mapping_init(&ri->options);
	mapping_set(&ri->options, "caps", caps);
	mapping_set(&ri->options, "netId", "99");
	mapping_set(&ri->options, "router.version", "0.9.57");
	if (ri_sign(ri, sign_cb, (void *)me->seed, NULL) == -1)
		goto done;
	memcpy(me->ri, ri->raw, ri->rawlen);
	me->local.ri = me->ri;
	me->local.rilen = ri->rawlen;
	memcpy(me->local.hash, ri->ident.hash, 32);
	me->local.netid = TP_NETID;
	rv = 0;
 done:
	free(ri);
	return rv;
}

int
tp_me_make(struct tp_me *me, const char *addr, unsigned port)
{
	return tp_me_make_caps(me, addr, port, "LR");
}

int
tp_me_make_caps(struct tp_me *me, const char *addr, unsigned port,
    const char *caps)
{
	return me_make(me, addr, port, caps, NULL);
}

int
tp_me_make_ssu2(struct tp_me *me, const char *addr, unsigned port,
    const uint8_t intro[32])
{
	return me_make(me, addr, port, "LR", intro);
}

int
tp_listen(const char *addr, unsigned port)
{
	struct sockaddr_in	 sa;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 4) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
tp_dial(const char *from, const char *host, unsigned port)
{
	struct sockaddr_in	 sa;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	if (from != NULL && (inet_pton(AF_INET, from, &sa.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1))
		goto fail;
	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		goto fail;
	return fd;
 fail:
	close(fd);
	return -1;
}

int
tp_read_full(int fd, uint8_t *p, size_t n, int timeout_ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	ssize_t		 r;
	size_t		 got = 0;

	while (got < n) {
		/* a quiet peer must not hold a test for minutes */
		if (poll(&pfd, 1, timeout_ms) != 1)
			return -1;
		if ((r = read(fd, p + got, n - got)) <= 0)
			return -1;
		got += r;
	}
	return 0;
}

int
tp_write_full(int fd, const uint8_t *p, size_t n)
{
	ssize_t	 r;
	size_t	 done = 0;

	while (done < n) {
		if ((r = write(fd, p + done, n - done)) <= 0)
			return -1;
		done += r;
	}
	return 0;
}

/* message 2 and its padding; Bob's ephemeral key for the se DH */
static int
alice_msg2(int fd, struct ntcp2_hs *hs, uint8_t *buf, uint8_t pub[32],
    size_t *len)
{
	size_t	 padlen;

	if (tp_read_full(fd, buf, NTCP2_MSG2_LEN, 20000) == -1 ||
	    ntcp2_alice_msg2(hs, buf, &padlen) != NTCP2_OK ||
	    tp_read_full(fd, buf, padlen, 20000) == -1 ||
	    ntcp2_alice_msg2_padding(hs, buf, padlen, pub) != NTCP2_NEED_DH)
		return -1;
	*len = NTCP2_MSG2_LEN + padlen;
	return 0;
}

enum tp_step
tp_alice(int fd, const struct tp_me *me, const struct ntcp2_remote *rem,
    struct ntcp2_session *s, struct tp_sizes *sz)
{
	struct ntcp2_hs	*hs;
	struct wbuf	 w;
	uint8_t		 buf[70000], pub[32], dh[32];
	enum tp_step	 step = TP_MSG1;

	if ((hs = ntcp2_hs_new()) == NULL)
		return TP_MSG1;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ntcp2_alice_start(hs, &me->local, rem, &w) != NTCP2_OK ||
	    tp_write_full(fd, buf, wbuf_len(&w)) == -1)
		goto done;
	sz->msg1 = wbuf_len(&w);
	step = TP_MSG2;
	if (alice_msg2(fd, hs, buf, pub, &sz->msg2) == -1)
		goto done;
	step = TP_MSG3;
	/* cryptod's part in a router */
	if (x25519(dh, me->s_priv, pub) == -1)
		goto done;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ntcp2_alice_msg3(hs, dh, &w, s) != NTCP2_OK ||
	    tp_write_full(fd, buf, wbuf_len(&w)) == -1)
		goto done;
	sz->msg3 = wbuf_len(&w);
	step = TP_DONE;
 done:
	crypto_wipe(dh, sizeof(dh));
	ntcp2_hs_free(hs);
	return step;
}

int
tp_bob(int fd, const struct tp_me *me, struct ntcp2_session *s)
{
	struct ntcp2_hs	*hs;
	struct wbuf	 w;
	uint8_t		 buf[70000], msg2[NTCP2_MSG2_LEN + NTCP2_PAD_MAX];
	uint8_t		 pub[32], dh[32];
	const uint8_t	*ri;
	size_t		 padlen, m3len, rilen;
	int		 rv = -1;

	if ((hs = ntcp2_hs_new()) == NULL)
		return -1;
	/* cryptod's part in a router: the DH with our static key */
	if (tp_read_full(fd, buf, NTCP2_MSG1_LEN, 20000) == -1 ||
	    ntcp2_bob_msg1(hs, &me->local, buf, pub) != NTCP2_NEED_DH ||
	    x25519(dh, me->s_priv, pub) == -1 ||
	    ntcp2_bob_msg1_dh(hs, dh, &padlen) != NTCP2_OK)
		goto done;
	wbuf_init_fixed(&w, msg2, sizeof(msg2));
	if (tp_read_full(fd, buf, padlen, 20000) == -1 ||
	    ntcp2_bob_msg1_padding(hs, buf, padlen, &w, &m3len) != NTCP2_OK ||
	    tp_write_full(fd, msg2, wbuf_len(&w)) == -1 ||
	    m3len > sizeof(buf) || tp_read_full(fd, buf, m3len, 20000) == -1 ||
	    ntcp2_bob_msg3(hs, buf, m3len, s, &ri, &rilen) != NTCP2_OK)
		goto done;
	rv = 0;
 done:
	crypto_wipe(dh, sizeof(dh));
	ntcp2_hs_free(hs);
	return rv;
}

int
tp_read_frame(int fd, struct ntcp2_session *s, uint8_t *buf, size_t *plen,
    int timeout_ms)
{
	uint8_t	 hdr[2];
	size_t	 len;

	if (tp_read_full(fd, hdr, 2, timeout_ms) == -1 ||
	    ntcp2_frame_len(&s->recv, hdr, &len) != NTCP2_OK ||
	    tp_read_full(fd, buf, len, timeout_ms) == -1 ||
	    ntcp2_frame_open(&s->recv, buf, len, plen) != NTCP2_OK)
		return -1;
	return 0;
}

void
tp_goodbye(int fd, struct ntcp2_session *s, int reason)
{
	struct wbuf	 w, f;
	uint8_t		 plain[64], frame[128];

	wbuf_init_fixed(&w, plain, sizeof(plain));
	ntcp2_put_termination(&w, s->recv.n, reason);
	wbuf_init_fixed(&f, frame, sizeof(frame));
	if (ntcp2_frame_seal(&s->send, plain, wbuf_len(&w), &f) == NTCP2_OK)
		(void)tp_write_full(fd, frame, wbuf_len(&f));
	close(fd);
	ntcp2_session_wipe(s);
}
