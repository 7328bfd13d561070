/*
 * libFuzzer target: SAM command lines and UDP datagram headers
 * (tunneld/sam_parse.c), then the same bytes as a client's stream and
 * as a datagram on the UDP port (sam_conn.c, sam_session.c) behind a
 * backend that accepts everything and answers at once.  Checked beyond
 * the sanitizers: every parsed argument written back as a reply line
 * parses again to the same key and value (quoting and escapes
 * round-trip), a parsed UDP header's payload lies within the input,
 * and a connection's output stays within its bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "log.h"

#include "crypto.h"
#include "i2pdata.h"
#include "../../tunneld/sam.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static uint32_t	 open_sid, reqid;
static int	 pending_open, pending_req;
static uint8_t	 dest[I2P_IDENT_LEN], priv[I2P_IDENT_LEN + 256 + 32];

static int
be_open(void *arg, const struct sam_open_req *r)
{
	open_sid = r->sid;
	pending_open = 1;
	return 0;
}

static void
be_close(void *arg, uint32_t sid)
{
	if (sid == open_sid)
		pending_open = 0;
}

static int
be_req(void *arg, uint32_t id, uint16_t type)
{
	reqid = id;
	pending_req = 1;
	return 0;
}

static int
be_lookup(void *arg, uint32_t id, const uint8_t hash[32])
{
	return be_req(arg, id, 0);
}

static int
be_send(void *arg, uint32_t sid, const struct sam_dgram *dg)
{
	if (dg->len == 0 || dg->len > SAM_RAW_MAX)
		abort();
	return 0;
}

static void
be_udp(const struct sockaddr_storage *to, const void *p, size_t len)
{
}

static const struct sam_backend backend = {
	.open = be_open, .close = be_close, .generate = be_req,
	.lookup = be_lookup, .send = be_send,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct i2p_ident	 id;
	uint8_t			 pub[32];

	(void)fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	memset(pub, 1, sizeof(pub));
	if (ident_build(&id, IDENT_DEST, NULL, pub, pub) == -1)
		abort();
	memcpy(dest, id.raw, sizeof(dest));
	memcpy(priv, dest, sizeof(dest));
	log_init(1, LOG_USER);
	log_procinit("fuzz_sam");
	return 0;
}

static struct sam_line	 l1, l2;
static struct sam_udp_hdr h;
static uint8_t		 out[SAM_LINE_MAX * 3];

static void
round_trip(void)
{
	struct sam_field	 f[SAM_ARGS_MAX];
	struct wbuf		 w;
	const char		*why;
	size_t			 i;

	for (i = 0; i < l1.nargs; i++)
		f[i] = (struct sam_field){ l1.args[i].key, l1.args[i].val, 0 };
	wbuf_init_fixed(&w, out, sizeof(out));
	if (sam_reply(&w, SAM_VERSION_MAX, "X Y", NULL, f, l1.nargs,
	    NULL) == -1)
		abort();
	/* without the newline; a reply may be longer than a client line */
	if (wbuf_len(&w) - 1 > SAM_LINE_MAX)
		return;
	if (sam_line_parse(&l2, out, wbuf_len(&w) - 1, &why) == -1 ||
	    l2.nargs != l1.nargs)
		abort();
	for (i = 0; i < l1.nargs; i++)
		if (strcmp(l2.args[i].key, l1.args[i].key) != 0 ||
		    strcmp(l2.args[i].val, l1.args[i].val) != 0)
			abort();
}

/* the stream in two pieces, the backend answering what it was asked */
static void
one_conn(const uint8_t *data, size_t len)
{
	struct sockaddr_storage	 ss;
	struct sam_conn		*c;
	struct sam_dgram	 dg;
	size_t			 half = len / 2;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_INET;
	sam_init(&backend, be_udp);
	pending_open = pending_req = 0;
	if ((c = sam_conn_new(-1, &ss, 0)) == NULL)
		abort();
	sam_conn_input(c, data, half);
	if (pending_open)
		sam_backend_opened(open_sid, dest, sizeof(dest), priv,
		    sizeof(priv));
	if (pending_req)
		sam_backend_generated(reqid, dest, sizeof(dest), priv,
		    sizeof(priv), NULL);
	sam_conn_input(c, data + half, len - half);
	if (pending_req)
		sam_backend_found(reqid, dest, sizeof(dest));
	memset(&dg, 0, sizeof(dg));
	dg.dest = dest;
	dg.destlen = sizeof(dest);
	dg.payload = data;
	dg.len = len;
	sam_backend_received(open_sid, &dg);
	sam_udp_input(data, len, &ss);
	if (wbuf_len(&c->out) > SAM_OUTQ_MAX)
		abort();
	sam_init(&backend, be_udp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why = NULL;
	int		 v;

	if (sam_line_parse(&l1, data, len, &why) == 0) {
		if (l1.cmd == NULL)
			abort();
		if (strcmp(l1.cmd, "PING") != 0 && strcmp(l1.cmd, "PONG") != 0)
			round_trip();
		if (l1.sub != NULL)
			(void)sam_version_parse(l1.sub, 1, &v);
	} else if (why == NULL)
		abort();
	if (sam_udp_parse(&h, data, len, &why) == 0 &&
	    (h.payload < data || h.payload + h.len != data + len))
		abort();
	one_conn(data, len);
	return 0;
}
