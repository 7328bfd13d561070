/*
 * The i2p.streaming.* options (stream.h), by the names the Java router
 * documents (api/streaming.html "Options"), with i2pd 2.45.1's values
 * (libi2pd/Streaming.h) where i2pd has one and Java's otherwise.
 * docs/streaming.md "Options" has the table.
 *
 * Every value is range-checked: an option set from a SAM or tunnel
 * configuration must not make a stream hold more memory than its
 * bounds, wait for ever, or announce a packet size the peers cannot
 * use.  Java's "negative means unlimited" is refused where unlimited
 * would break such a bound (connectTimeout) and means our own bound
 * where there is one (maxConcurrentStreams: STREAM_PER_HOST).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

/*
 * i2pd's MAX_WINDOW_SIZE and Java's Connection.MAX_WINDOW_SIZE are 128;
 * ours may grow to stream.c's cap where the path and the buffers allow
 * (256 KB of either buffer hold about 140 packets; bufferSize raises
 * the send side)
 */
#define OPT_WINDOW_MAX		1024
#define OPT_WINDOW_DEFAULT	512
#define OPT_MTU_MIN		512	/* a packet smaller is mostly header */
#define OPT_BUF_MAX		(1024 * 1024)

enum opt_kind {
	OPT_U32,	/* a number in [min, max] */
	OPT_U32_OFF,	/* the same, or 0 for none */
	OPT_MTU,	/* a number in [min, max], into the uint16_t */
	OPT_STREAMS,	/* [1, max]; 0 or -1, Java's "unlimited": max */
	OPT_ACTION	/* reset, drop, http */
};

struct opt {
	const char	*name;		/* after "i2p.streaming." */
	enum opt_kind	 kind;
	size_t		 off;		/* in struct stream_opts */
	uint32_t	 min, max;
	const char	*range;		/* what is accepted, for messages */
};

#define F(m)	offsetof(struct stream_opts, m)

static const struct opt opts[] = {
	{ "bufferSize", OPT_U32, F(sndbuf), STREAM_MTU_RATCHET, OPT_BUF_MAX,
	    "1812 to 1048576 bytes" },
	{ "connectTimeout", OPT_U32, F(connect_timeout), 1000, 3600000,
	    "1000 to 3600000 ms" },
	{ "inactivityTimeout", OPT_U32_OFF, F(inactivity_timeout), 1000,
	    86400000, "0 (none) or 1000 to 86400000 ms" },
	{ "initialRTT", OPT_U32, F(initial_rtt), 1, 60000, "1 to 60000 ms" },
	{ "initialWindowSize", OPT_U32, F(initial_window), 1, OPT_WINDOW_MAX,
	    "1 to 1024 packets" },
	{ "limitAction", OPT_ACTION, F(limit_action_reset), 0, 1,
	    "reset, drop or http" },
	{ "maxConcurrentStreams", OPT_STREAMS, F(max_streams), 1,
	    STREAM_PER_HOST, "-1 or 0 (512) or 1 to 512" },
	{ "maxConnsPerDay", OPT_U32, F(conn_per_day), 0, UINT32_MAX,
	    "0 (none) to 4294967295" },
	{ "maxConnsPerHour", OPT_U32, F(conn_per_hour), 0, UINT32_MAX,
	    "0 (none) to 4294967295" },
	{ "maxConnsPerMinute", OPT_U32, F(conn_per_min), 0, UINT32_MAX,
	    "0 (none) to 4294967295" },
	{ "maxMessageSize", OPT_MTU, F(mtu), OPT_MTU_MIN, STREAM_MTU_RATCHET,
	    "512 to 1812 bytes" },
	{ "maxResends", OPT_U32, F(max_resends), 1, 16, "1 to 16" },
	{ "maxTotalConnsPerHour", OPT_U32, F(total_conn_per_hour), 0,
	    UINT32_MAX, "0 (none) to 4294967295" },
	{ "maxTotalConnsPerMinute", OPT_U32, F(total_conn_per_min), 0,
	    UINT32_MAX, "0 (none) to 4294967295" },
	{ "maxWindowSize", OPT_U32, F(max_window), 1, OPT_WINDOW_MAX,
	    "1 to 1024 packets" },
};

#undef F

void
stream_opts_default(struct stream_opts *o)
{
	memset(o, 0, sizeof(*o));
	/* ours: bounds counting unacknowledged bytes too (Java: 64K) */
	o->sndbuf = STREAM_SNDBUF;
	o->rcvbuf = STREAM_RCVBUF;
	o->max_window = OPT_WINDOW_DEFAULT;	/* i2pd, Java: 128 */
	o->initial_window = 6;			/* Java; i2pd's slow start */
	o->initial_rtt = 8000;			/* i2pd, Java */
	o->connect_timeout = 5 * 60 * 1000;	/* Java */
	o->inactivity_timeout = 90 * 1000;	/* Java */
	o->max_resends = 6;			/* i2pd (Java 8) */
	o->mtu = STREAM_MTU_DEFAULT;		/* i2pd, Java */
	o->limit_action_reset = 1;		/* Java */
	o->max_streams = STREAM_PER_HOST;	/* Java: unlimited */
}

static const struct opt *
opt_find(const char *name)
{
	static const char	 prefix[] = "i2p.streaming.";
	size_t			 i;

	if (name == NULL || strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return NULL;
	name += sizeof(prefix) - 1;
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

/*
 * A decimal number, "-" allowed: digits only, no blanks, no "+", at
 * most 10 digits, so that "1e3" or "0x10" are not taken for numbers.
 */
static int
parse_num(const char *s, long long *v)
{
	const char	*d = s[0] == '-' ? s + 1 : s;
	size_t		 n = strlen(d);
	char		*end;

	if (n == 0 || n > 10 || strspn(d, "0123456789") != n)
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

static int
set_action(struct stream_opts *o, const char *value)
{
	/* Java's http sends a 429 page; we reset instead */
	if (strcmp(value, "reset") == 0 || strcmp(value, "http") == 0)
		o->limit_action_reset = 1;
	else if (strcmp(value, "drop") == 0)
		o->limit_action_reset = 0;
	else
		return -1;	/* Java: a custom response; not ours */
	return 0;
}

/* v within the option's range, Java's "unlimited" made our bound */
static int
in_range(const struct opt *t, long long *v)
{
	if (t->kind == OPT_STREAMS && (*v == 0 || *v == -1))
		*v = t->max;
	if (t->kind == OPT_U32_OFF && *v == 0)
		return 0;
	if (*v < (long long)t->min || *v > (long long)t->max)
		return -1;
	return 0;
}

static int
set_num(struct stream_opts *o, const struct opt *t, long long v)
{
	uint8_t		*base = (uint8_t *)o;
	uint16_t	 v16;
	uint32_t	 v32;

	if (in_range(t, &v) == -1)
		return -1;
	if (t->kind == OPT_MTU) {
		v16 = v;
		memcpy(base + t->off, &v16, sizeof(v16));
	} else {
		v32 = v;
		memcpy(base + t->off, &v32, sizeof(v32));
	}
	return 0;
}

int
stream_opts_set(struct stream_opts *o, const char *name, const char *value)
{
	const struct opt	*t;
	long long		 v;

	if ((t = opt_find(name)) == NULL || value == NULL)
		return -1;
	if (t->kind == OPT_ACTION)
		return set_action(o, value);
	if (parse_num(value, &v) == -1)
		return -1;
	return set_num(o, t, v);
}

const char *
stream_opts_range(const char *name)
{
	const struct opt	*t;

	if ((t = opt_find(name)) == NULL)
		return NULL;
	return t->range;
}
