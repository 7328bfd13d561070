/*
 * The conversation with i2prd: connect to the control socket, send one
 * request, read its replies.  Every reply passes proc_check_imsg (type,
 * sender, size) and is copied out with imsg_get_data at its exact size;
 * every string in it is checked for its NUL before anything prints it.
 * A reply that fails any check ends the program with an error, never
 * with a guess.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>

#include <bsd/string.h>
#include <unistd.h>

#include "i2pctl.h"
#include "imsg.h"
#include "proc.h"

/* where the reply loop stands */
enum ctl_state {
	ST_WANT_SUMMARY,	/* show summary: SUMMARY (or a RESULT) */
	ST_WANT_PROC,		/* show summary: PROC or END */
	ST_WANT_RESULT,		/* reload, log: one RESULT */
	ST_WANT_ROUTER,		/* show router, show netdb router:
				   ROUTER_INFO or END */
	ST_WANT_END,		/* show router: END */
	ST_WANT_PEERS,		/* show peers: PEER, SESSIONS or END */
	ST_WANT_NETDB,		/* show netdb, floodfill: NETDB */
	ST_WANT_LEASESET,	/* show netdb leaseset: LEASESET or END */
	ST_WANT_PEM,		/* reseed certificate: RESEED_PEM or RESULT */
	ST_WANT_TRANSIT,	/* show transit: TRANSIT */
	ST_WANT_TUNNELS,	/* show tunnels: TUNNEL, then TUNNELS */
	ST_WANT_PROFILES,	/* show profiles: PROFILE, then PROFILES */
	ST_WANT_SAM,		/* show sam: SAM_CLIENT, SAM_SESSION, SAM */
	ST_WANT_DESTS,		/* show destinations: DEST or END */
	ST_WANT_RSESS,		/* show sessions: RSESS or END */
	ST_WANT_STREAMS,	/* show streams: STREAM or END */
	ST_WANT_PROXIES,	/* show tunnels clients: PROXY or END */
	ST_WANT_AB,		/* addressbook show: AB_ENTRY, AB_CONFLICT,
				   then AB, then END */
	ST_WANT_AB_LOOKUP	/* addressbook lookup: AB_ENTRY or END */
};

/* what one reply does to the loop */
enum ctl_step {
	STEP_ERROR = -1,
	STEP_MORE,		/* keep reading */
	STEP_OK,		/* complete; the daemon reports success */
	STEP_FAILED		/* complete; the daemon reports failure */
};

int
ctl_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		warnx("connect: %s: socket path too long", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		warn("socket");
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		warn("connect: %s", path);
		return -1;
	}
	return fd;
}

/* the addressbook request of an action; the imsg type */
static uint32_t
ab_request(const struct parse_result *res, struct ctl_ab_req *q)
{
	enum actions	a = res->action;

	memset(q, 0, sizeof(*q));
	strlcpy(q->name, res->abname, sizeof(q->name));
	q->book = a == AB_ADD_PRIVATE || a == AB_ADD_PRIVATE_REPLACE ||
	    a == AB_DEL_PRIVATE;
	q->replace = a == AB_ADD_REPLACE || a == AB_ADD_PRIVATE_REPLACE;
	switch (a) {
	case AB_ADD:
	case AB_ADD_REPLACE:
	case AB_ADD_PRIVATE:
	case AB_ADD_PRIVATE_REPLACE:
		q->destlen = res->abdestlen;
		memcpy(q->dest, res->abdest, res->abdestlen);
		return IMSG_CTL_AB_ADD;
	case AB_DEL:
	case AB_DEL_PRIVATE:
		return IMSG_CTL_AB_DEL;
	case AB_LOOKUP:
		return IMSG_CTL_AB_LOOKUP;
	case AB_SHOW_LOCAL:
	case AB_SHOW_PRIVATE:
	case AB_SHOW_SUBSCRIBED:
		q->book = a - AB_SHOW_LOCAL;
		return IMSG_CTL_SHOW_AB;
	default:
		q->book = a == AB_COUNTS ? CTL_AB_COUNTS : CTL_AB_ALL;
		return IMSG_CTL_SHOW_AB;
	}
}

int
ctl_send(struct imsgbuf *ibuf, const struct parse_result *res)
{
	struct ctl_log_verbose	 lv;
	struct ctl_entry_req	 req;
	struct ctl_ab_req	 abq;
	uint32_t		 type;
	int			 rv, fd;

	switch (res->action) {
	case SHOW_SUMMARY:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_SUMMARY, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_ROUTER:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_ROUTER, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_PEERS:
	case SHOW_PEERS_LIMITS:
	case SHOW_TRANSPORTS:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_PEERS, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_NETDB:
	case SHOW_FLOODFILL:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_NETDB, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_TRANSIT:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_TRANSIT, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_TUNNELS:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_TUNNELS, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_PROFILES:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_PROFILES, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_SAM:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_SAM, 0, 0, -1, NULL, 0);
		break;
	case SHOW_DESTS:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_DESTS, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_RSESS:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_RSESS, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_STREAMS:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_STREAMS, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_PROXIES:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_PROXIES, 0, 0, -1,
		    NULL, 0);
		break;
	case SHOW_NETDB_ROUTER:
	case SHOW_NETDB_LEASESET:
		memset(&req, 0, sizeof(req));
		memcpy(req.hash, res->hash, sizeof(req.hash));
		req.kind = res->action == SHOW_NETDB_ROUTER ?
		    CTL_ENTRY_ROUTER : CTL_ENTRY_LEASESET;
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_ENTRY, 0, 0, -1,
		    &req, sizeof(req));
		break;
	case RELOAD:
		rv = imsg_compose(ibuf, IMSG_CTL_RELOAD, 0, 0, -1, NULL, 0);
		break;
	case RESEED_IMPORT:
		/* opened with our rights, read by routerd */
		if ((fd = open(res->path, O_RDONLY | O_CLOEXEC)) == -1) {
			warn("%s", res->path);
			return -1;
		}
		rv = imsg_compose(ibuf, IMSG_CTL_RESEED_IMPORT, 0, 0, fd,
		    NULL, 0);
		break;
	case RESEED_EXPORT:
		/* a temporary file of ours; renamed once routerd is done */
		rv = imsg_compose(ibuf, IMSG_CTL_RESEED_EXPORT, 0, 0,
		    res->fd, NULL, 0);
		break;
	case RESEED_CERT:
		rv = imsg_compose(ibuf, IMSG_CTL_SHOW_RESEED_CERT, 0, 0, -1,
		    NULL, 0);
		break;
	case RESEED_FETCH:
		rv = imsg_compose(ibuf, IMSG_CTL_RESEED_FETCH, 0, 0, -1,
		    NULL, 0);
		break;
	case AB_FETCH:
		rv = imsg_compose(ibuf, IMSG_CTL_AB_FETCH, 0, 0, -1, NULL, 0);
		break;
	case LOG_VERBOSE:
	case LOG_BRIEF:
		memset(&lv, 0, sizeof(lv));
		lv.verbose = res->action == LOG_VERBOSE;
		rv = imsg_compose(ibuf, IMSG_CTL_LOG_VERBOSE, 0, 0, -1,
		    &lv, sizeof(lv));
		break;
	case AB_ADD:
	case AB_ADD_REPLACE:
	case AB_ADD_PRIVATE:
	case AB_ADD_PRIVATE_REPLACE:
	case AB_DEL:
	case AB_DEL_PRIVATE:
	case AB_LOOKUP:
	case AB_SHOW:
	case AB_SHOW_LOCAL:
	case AB_SHOW_PRIVATE:
	case AB_SHOW_SUBSCRIBED:
	case AB_COUNTS:
		type = ab_request(res, &abq);
		rv = imsg_compose(ibuf, type, 0, 0, -1, &abq, sizeof(abq));
		break;
	case NONE:
	default:
		warnx("no request to send");
		return -1;
	}
	if (rv == -1) {
		warn("imsg_compose");
		return -1;
	}
	if (imsg_flush(ibuf) == -1) {
		warn("write to i2prd");
		return -1;
	}
	return 0;
}

/* a fixed-size string field of a reply must hold its terminating NUL */
static int
cstr_ok(const char *field, size_t size, const char *what)
{
	if (memchr(field, '\0', size) == NULL) {
		warnx("malformed reply from i2prd: %s not terminated", what);
		return 0;
	}
	return 1;
}

static enum ctl_step
ctl_summary(struct imsg *imsg, const struct output *out)
{
	struct ctl_summary	 sum;

	if (imsg_get_data(imsg, &sum, sizeof(sum)) == -1) {
		warnx("malformed summary reply from i2prd");
		return STEP_ERROR;
	}
	if (!cstr_ok(sum.version, sizeof(sum.version), "version") ||
	    !cstr_ok(sum.router_hash, sizeof(sum.router_hash), "router hash") ||
	    !cstr_ok(sum.caps, sizeof(sum.caps), "caps") ||
	    !cstr_ok(sum.statedir, sizeof(sum.statedir), "state directory") ||
	    !cstr_ok(sum.log_level, sizeof(sum.log_level), "log level"))
		return STEP_ERROR;
	out->summary(&sum);
	return STEP_MORE;
}

static enum ctl_step
ctl_proc(struct imsg *imsg, const struct output *out, size_t *nprocs)
{
	struct ctl_proc	 p;

	if (imsg_get_data(imsg, &p, sizeof(p)) == -1) {
		warnx("malformed process reply from i2prd");
		return STEP_ERROR;
	}
	if (!cstr_ok(p.name, sizeof(p.name), "process name"))
		return STEP_ERROR;
	if (++*nprocs > CTL_MAXPROCS) {
		warnx("too many process replies from i2prd");
		return STEP_ERROR;
	}
	out->proc(&p);
	return STEP_MORE;
}

static enum ctl_step
ctl_transport(struct imsg *imsg, const struct output *out)
{
	struct ctl_transport	 t;

	if (imsg_get_data(imsg, &t, sizeof(t)) == -1) {
		warnx("malformed transport reply from i2prd");
		return STEP_ERROR;
	}
	if (!cstr_ok(t.transport, sizeof(t.transport), "transport") ||
	    !cstr_ok(t.addr, sizeof(t.addr), "transport address"))
		return STEP_ERROR;
	out->transport(&t);
	return STEP_MORE;
}

static enum ctl_step
ctl_peer(struct imsg *imsg, const struct output *out)
{
	struct ctl_peer	 p;

	if (imsg_get_data(imsg, &p, sizeof(p)) == -1) {
		warnx("malformed peer reply from i2prd");
		return STEP_ERROR;
	}
	if (!cstr_ok(p.hash, sizeof(p.hash), "peer hash") ||
	    !cstr_ok(p.addr, sizeof(p.addr), "peer address") ||
	    !cstr_ok(p.transport, sizeof(p.transport), "transport"))
		return STEP_ERROR;
	out->peer(&p);
	return STEP_MORE;
}

static enum ctl_step
ctl_sessions(struct imsg *imsg, const struct output *out)
{
	struct ctl_sessions	 cs;

	if (imsg_get_data(imsg, &cs, sizeof(cs)) == -1) {
		warnx("malformed session limits reply from i2prd");
		return STEP_ERROR;
	}
	out->sessions(&cs);
	return STEP_MORE;
}

/* tunneld's strings, checked before anything prints them */
static enum ctl_step
ctl_sam(struct imsg *imsg, enum ctl_state *state, const struct output *out)
{
	struct ctl_sam_client	 c;
	struct ctl_sam_session	 s;
	struct ctl_sam		 sum;

	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_SAM_CLIENT:
		if (imsg_get_data(imsg, &c, sizeof(c)) == -1 ||
		    !cstr_ok(c.addr, sizeof(c.addr), "SAM client address") ||
		    !cstr_ok(c.version, sizeof(c.version), "SAM version") ||
		    !cstr_ok(c.session, sizeof(c.session), "SAM session") ||
		    !cstr_ok(c.mode, sizeof(c.mode), "SAM client mode"))
			break;
		out->sam_client(&c);
		return STEP_MORE;
	case IMSG_CTL_SAM_SESSION:
		if (imsg_get_data(imsg, &s, sizeof(s)) == -1 ||
		    !cstr_ok(s.id, sizeof(s.id), "SAM session ID") ||
		    !cstr_ok(s.style, sizeof(s.style), "SAM style") ||
		    !cstr_ok(s.primary, sizeof(s.primary), "SAM primary") ||
		    !cstr_ok(s.b32, sizeof(s.b32), "SAM destination"))
			break;
		out->sam_session(&s);
		return STEP_MORE;
	case IMSG_CTL_SAM:
		if (imsg_get_data(imsg, &sum, sizeof(sum)) == -1)
			break;
		*state = ST_WANT_END;
		out->sam(&sum);
		return STEP_MORE;
	}
	warnx("malformed SAM reply from i2prd");
	return STEP_ERROR;
}

static enum ctl_step
ctl_dest(struct imsg *imsg, const struct output *out)
{
	struct ctl_dest	 d;

	if (imsg_get_data(imsg, &d, sizeof(d)) == -1 ||
	    !cstr_ok(d.name, sizeof(d.name), "destination name") ||
	    !cstr_ok(d.b32, sizeof(d.b32), "destination address") ||
	    !cstr_ok(d.dest, sizeof(d.dest), "destination") ||
	    d.ls_state > LS_FAILED) {
		warnx("malformed destination reply from i2prd");
		return STEP_ERROR;
	}
	out->dest(&d);
	return STEP_MORE;
}

/* tunneld sends CTL_RSESS_MAX at most: more is a daemon gone wrong */
static enum ctl_step
ctl_rsess(struct imsg *imsg, const struct output *out, size_t *nrows)
{
	struct ctl_rsess	 r;

	if (imsg_get_data(imsg, &r, sizeof(r)) == -1 ||
	    !cstr_ok(r.dest, sizeof(r.dest), "destination name") ||
	    !cstr_ok(r.peer, sizeof(r.peer), "peer address") ||
	    r.state > CTL_RSESS_TERMINATED || r.outbound > 1 ||
	    ++*nrows > CTL_RSESS_MAX) {
		warnx("malformed session reply from i2prd");
		return STEP_ERROR;
	}
	out->rsess(&r);
	return STEP_MORE;
}

/* tunneld sends CTL_STREAMS_MAX at most: more is a daemon gone wrong */
static enum ctl_step
ctl_stream(struct imsg *imsg, const struct output *out, size_t *nrows)
{
	struct ctl_stream	 s;

	if (imsg_get_data(imsg, &s, sizeof(s)) == -1 ||
	    !cstr_ok(s.dest, sizeof(s.dest), "destination name") ||
	    !cstr_ok(s.peer, sizeof(s.peer), "peer address") ||
	    s.state > CTL_STREAM_RESET || s.outbound > 1 ||
	    (s.flags & ~(CTL_STREAM_CHOKED | CTL_STREAM_CHOKING)) != 0 ||
	    ++*nrows > CTL_STREAMS_MAX) {
		warnx("malformed stream reply from i2prd");
		return STEP_ERROR;
	}
	out->stream(&s);
	return STEP_MORE;
}

/* tunneld sends PROXIES_MAX at most */
static enum ctl_step
ctl_proxy(struct imsg *imsg, const struct output *out, size_t *nrows)
{
	struct ctl_proxy	 p;

	if (imsg_get_data(imsg, &p, sizeof(p)) == -1 ||
	    !cstr_ok(p.dest, sizeof(p.dest), "destination name") ||
	    !cstr_ok(p.b32, sizeof(p.b32), "address") ||
	    !cstr_ok(p.target, sizeof(p.target), "target") ||
	    p.kind < PROXY_CLIENT || p.kind > PROXY_KIND_LAST ||
	    (p.family != 4 && p.family != 6) || p.up > 1 ||
	    ++*nrows > PROXIES_MAX) {
		warnx("malformed tunnel reply from i2prd");
		return STEP_ERROR;
	}
	out->proxy(&p);
	return STEP_MORE;
}

/* tunneld sends CTL_AB_SHOW_MAX names and the conflicts it keeps */
static enum ctl_step
ctl_ab_entry(struct imsg *imsg, const struct output *out, size_t *nrows)
{
	struct ctl_ab_entry	e;

	if (imsg_get_data(imsg, &e, sizeof(e)) == -1 ||
	    !cstr_ok(e.name, sizeof(e.name), "name") ||
	    e.book < 0 || e.book >= CTL_AB_BOOKS ||
	    e.destlen == 0 || e.destlen > sizeof(e.dest) ||
	    ++*nrows > CTL_AB_SHOW_MAX) {
		warnx("malformed address book reply from i2prd");
		return STEP_ERROR;
	}
	out->ab_entry(&e);
	return STEP_MORE;
}

static enum ctl_step
ctl_ab_conflict(struct imsg *imsg, const struct output *out, size_t *nrows)
{
	struct ctl_ab_conflict	c;

	if (imsg_get_data(imsg, &c, sizeof(c)) == -1 ||
	    !cstr_ok(c.name, sizeof(c.name), "name") ||
	    c.book < 0 || c.book >= CTL_AB_BOOKS ||
	    ++*nrows > CTL_AB_SHOW_MAX + CTL_AB_CONFLICTS_MAX) {
		warnx("malformed address book reply from i2prd");
		return STEP_ERROR;
	}
	out->ab_conflict(&c);
	return STEP_MORE;
}

static enum ctl_step
ctl_ab_sub(struct imsg *imsg, const struct output *out, size_t *nrows)
{
	struct ctl_ab_sub	s;

	if (imsg_get_data(imsg, &s, sizeof(s)) == -1 ||
	    !cstr_ok(s.url, sizeof(s.url), "url") ||
	    !cstr_ok(s.err, sizeof(s.err), "error") ||
	    ++*nrows > CTL_AB_SHOW_MAX + CTL_AB_CONFLICTS_MAX + SUBS_MAX) {
		warnx("malformed address book reply from i2prd");
		return STEP_ERROR;
	}
	out->ab_sub(&s);
	return STEP_MORE;
}

/* the counts, after the rows: only END may follow */
static enum ctl_step
ctl_ab(struct imsg *imsg, enum ctl_state *state, const struct output *out)
{
	struct ctl_ab	a;

	if (imsg_get_data(imsg, &a, sizeof(a)) == -1 ||
	    a.shown > CTL_AB_SHOW_MAX) {
		warnx("malformed address book reply from i2prd");
		return STEP_ERROR;
	}
	out->ab(&a);
	*state = ST_WANT_END;
	return STEP_MORE;
}

static enum ctl_step
ctl_tunnel(struct imsg *imsg, const struct output *out)
{
	struct ctl_tunnel	 t;

	if (imsg_get_data(imsg, &t, sizeof(t)) == -1 ||
	    t.dir > TUNNEL_OUT || t.state > TUNNEL_READY ||
	    t.nhops > TUNNEL_HOPS_MAX) {
		warnx("malformed tunnel reply from i2prd");
		return STEP_ERROR;
	}
	out->tunnel(&t);
	return STEP_MORE;
}

static enum ctl_step
ctl_pool(struct imsg *imsg, const struct output *out)
{
	struct ctl_pool	 p;

	if (imsg_get_data(imsg, &p, sizeof(p)) == -1) {
		warnx("malformed client pool reply from i2prd");
		return STEP_ERROR;
	}
	if (!cstr_ok(p.name, sizeof(p.name), "client pool name"))
		return STEP_ERROR;
	if (!dest_name_ok(p.name)) {
		warnx("malformed client pool reply from i2prd: bad name");
		return STEP_ERROR;
	}
	out->pool(&p);
	return STEP_MORE;
}

static enum ctl_step
ctl_profile(struct imsg *imsg, const struct output *out)
{
	struct ctl_profile	 p;

	if (imsg_get_data(imsg, &p, sizeof(p)) == -1 ||
	    p.tier >= CTL_TIERS) {
		warnx("malformed profile reply from i2prd");
		return STEP_ERROR;
	}
	out->profile(&p);
	return STEP_MORE;
}

static enum ctl_step
ctl_result(struct imsg *imsg, const struct output *out)
{
	struct ctl_result	 r;

	if (imsg_get_data(imsg, &r, sizeof(r)) == -1) {
		warnx("malformed result reply from i2prd");
		return STEP_ERROR;
	}
	if (!cstr_ok(r.msg, sizeof(r.msg), "result message"))
		return STEP_ERROR;
	out->result(r.code, r.msg);
	return r.code == 0 ? STEP_OK : STEP_FAILED;
}

static enum ctl_step
ctl_dispatch(struct imsg *imsg, enum ctl_state *state,
    const struct output *out, size_t *nrows)
{
	uint32_t	 type;

	if (proc_check_imsg(imsg, PROC_ROUTERD, PROC_CONTROL) == -1) {
		warnx("invalid reply from i2prd");
		return STEP_ERROR;
	}
	type = imsg_get_type(imsg);

	switch (*state) {
	case ST_WANT_SUMMARY:
		if (type == IMSG_CTL_SUMMARY) {
			*state = ST_WANT_PROC;
			return ctl_summary(imsg, out);
		}
		/* the daemon may refuse with a result instead */
		if (type == IMSG_CTL_RESULT)
			return ctl_result(imsg, out);
		break;
	case ST_WANT_PROC:
		if (type == IMSG_CTL_PROC)
			return ctl_proc(imsg, out, nrows);
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_RESULT:
		if (type == IMSG_CTL_RESULT)
			return ctl_result(imsg, out);
		break;
	case ST_WANT_ROUTER:
		/* at most one RouterInfo (none before it is published) */
		if (type == IMSG_CTL_ROUTER_INFO) {
			*state = ST_WANT_END;
			out->router(imsg->data, imsg->datalen);
			return STEP_MORE;
		}
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_END:
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_PEERS:
		if (type == IMSG_CTL_PEER)
			return ctl_peer(imsg, out);
		if (type == IMSG_CTL_TRANSPORT)
			return ctl_transport(imsg, out);
		/* netd's limits end the list */
		if (type == IMSG_CTL_SESSIONS) {
			*state = ST_WANT_END;
			return ctl_sessions(imsg, out);
		}
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_LEASESET:
		/* END alone when it is not held */
		if (type == IMSG_CTL_LEASESET) {
			*state = ST_WANT_END;
			out->leaseset(imsg->data, imsg->datalen);
			return STEP_MORE;
		}
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_SAM:
		if (type == IMSG_CTL_SAM_CLIENT ||
		    type == IMSG_CTL_SAM_SESSION || type == IMSG_CTL_SAM)
			return ctl_sam(imsg, state, out);
		/* END alone: tunneld could not be asked */
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_DESTS:
		if (type == IMSG_CTL_DEST)
			return ctl_dest(imsg, out);
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_RSESS:
		if (type == IMSG_CTL_RSESS)
			return ctl_rsess(imsg, out, nrows);
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_STREAMS:
		if (type == IMSG_CTL_STREAM)
			return ctl_stream(imsg, out, nrows);
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_PROXIES:
		if (type == IMSG_CTL_PROXY)
			return ctl_proxy(imsg, out, nrows);
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_AB:
		if (type == IMSG_CTL_AB_ENTRY)
			return ctl_ab_entry(imsg, out, nrows);
		if (type == IMSG_CTL_AB_CONFLICT)
			return ctl_ab_conflict(imsg, out, nrows);
		if (type == IMSG_CTL_AB_SUB)
			return ctl_ab_sub(imsg, out, nrows);
		if (type == IMSG_CTL_AB)
			return ctl_ab(imsg, state, out);
		/* END alone: tunneld could not be asked */
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_AB_LOOKUP:
		if (type == IMSG_CTL_AB_ENTRY) {
			*state = ST_WANT_END;
			return ctl_ab_entry(imsg, out, nrows);
		}
		if (type == IMSG_CTL_END)
			return STEP_OK;
		break;
	case ST_WANT_TRANSIT:
		if (type == IMSG_CTL_TRANSIT) {
			struct transit_stats	ts;

			if (imsg_get_data(imsg, &ts, sizeof(ts)) == -1) {
				warnx("malformed transit reply from i2prd");
				return STEP_ERROR;
			}
			if (!cstr_ok(ts.congestion, sizeof(ts.congestion),
			    "congestion cap"))
				return STEP_ERROR;
			*state = ST_WANT_END;
			out->transit(&ts);
			return STEP_MORE;
		}
		break;
	case ST_WANT_TUNNELS:
		if (type == IMSG_CTL_TUNNEL)
			return ctl_tunnel(imsg, out);
		if (type == IMSG_CTL_POOL)
			return ctl_pool(imsg, out);
		if (type == IMSG_CTL_TUNNELS) {
			struct ctl_tunnels	ts;

			if (imsg_get_data(imsg, &ts, sizeof(ts)) == -1) {
				warnx("malformed tunnels reply from i2prd");
				return STEP_ERROR;
			}
			out->tunnels(&ts);
			return STEP_OK;
		}
		break;
	case ST_WANT_PROFILES:
		if (type == IMSG_CTL_PROFILE)
			return ctl_profile(imsg, out);
		if (type == IMSG_CTL_PROFILES) {
			struct ctl_profiles	ps;

			if (imsg_get_data(imsg, &ps, sizeof(ps)) == -1) {
				warnx("malformed profiles reply from i2prd");
				return STEP_ERROR;
			}
			out->profiles(&ps);
			return STEP_OK;
		}
		break;
	case ST_WANT_PEM:
		if (type == IMSG_CTL_RESEED_PEM) {
			*state = ST_WANT_END;
			out->pem(imsg->data, imsg->datalen);
			return STEP_MORE;
		}
		if (type == IMSG_CTL_RESULT)
			return ctl_result(imsg, out);
		break;
	case ST_WANT_NETDB:
		if (type == IMSG_CTL_NETDB) {
			struct ctl_netdb	nd;

			if (imsg_get_data(imsg, &nd, sizeof(nd)) == -1) {
				warnx("malformed netdb reply from i2prd");
				return STEP_ERROR;
			}
			if (!cstr_ok(nd.reseed.msg, sizeof(nd.reseed.msg),
			    "reseed outcome"))
				return STEP_ERROR;
			*state = ST_WANT_END;
			out->netdb(&nd);
			return STEP_MORE;
		}
		break;
	}
	warnx("unexpected reply %s from i2prd", imsg_type_name(type));
	return STEP_ERROR;
}

/* wait for and read more bytes: 0 on progress, -1 after a warning */
static int
ctl_fill(struct imsgbuf *ibuf, int timeout)
{
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 nfds;

	for (;;) {
		pfd.fd = ibuf->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		nfds = poll(&pfd, 1, timeout);
		if (nfds == -1) {
			if (errno == EINTR)
				continue;
			warn("poll");
			return -1;
		}
		if (nfds == 0) {
			warnx("timed out waiting for a reply from i2prd");
			return -1;
		}
		/* POLLHUP and POLLERR also end up in read's answer */
		if ((n = imsg_read(ibuf)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			warn("read from i2prd");
			return -1;
		}
		if (n == 0) {
			warnx("connection closed by i2prd");
			return -1;
		}
		return 0;
	}
}

/* the first state of the reply loop for a request; -1: none to wait for */
static int
ctl_first_state(enum actions action, enum ctl_state *state)
{
	switch (action) {
	case SHOW_SUMMARY:
		*state = ST_WANT_SUMMARY;
		break;
	case SHOW_ROUTER:
		*state = ST_WANT_ROUTER;
		break;
	case SHOW_PEERS:
	case SHOW_PEERS_LIMITS:
	case SHOW_TRANSPORTS:
		*state = ST_WANT_PEERS;
		break;
	case SHOW_NETDB:
	case SHOW_FLOODFILL:
		*state = ST_WANT_NETDB;
		break;
	case SHOW_NETDB_ROUTER:
		*state = ST_WANT_ROUTER;
		break;
	case SHOW_NETDB_LEASESET:
		*state = ST_WANT_LEASESET;
		break;
	case RESEED_CERT:
		*state = ST_WANT_PEM;
		break;
	case SHOW_TRANSIT:
		*state = ST_WANT_TRANSIT;
		break;
	case SHOW_TUNNELS:
		*state = ST_WANT_TUNNELS;
		break;
	case SHOW_PROFILES:
		*state = ST_WANT_PROFILES;
		break;
	case SHOW_SAM:
		*state = ST_WANT_SAM;
		break;
	case SHOW_DESTS:
		*state = ST_WANT_DESTS;
		break;
	case SHOW_RSESS:
		*state = ST_WANT_RSESS;
		break;
	case SHOW_STREAMS:
		*state = ST_WANT_STREAMS;
		break;
	case SHOW_PROXIES:
		*state = ST_WANT_PROXIES;
		break;
	case AB_SHOW:
	case AB_SHOW_LOCAL:
	case AB_SHOW_PRIVATE:
	case AB_SHOW_SUBSCRIBED:
	case AB_COUNTS:
		*state = ST_WANT_AB;
		break;
	case AB_LOOKUP:
		*state = ST_WANT_AB_LOOKUP;
		break;
	case AB_ADD:
	case AB_ADD_REPLACE:
	case AB_ADD_PRIVATE:
	case AB_ADD_PRIVATE_REPLACE:
	case AB_DEL:
	case AB_DEL_PRIVATE:
	case AB_FETCH:
	case RELOAD:
	case RESEED_IMPORT:
	case RESEED_EXPORT:
	case RESEED_FETCH:
	case LOG_VERBOSE:
	case LOG_BRIEF:
		*state = ST_WANT_RESULT;
		break;
	case SHOW_METRICS:	/* several requests: ctl_metrics */
	case NONE:
	default:
		warnx("no request to wait for");
		return -1;
	}
	return 0;
}

/* read the replies to one request, from state on, and hand them to out */
static enum ctl_step
ctl_read(struct imsgbuf *ibuf, enum ctl_state state, const struct output *out,
    int timeout)
{
	struct imsg		 imsg;
	enum ctl_step		 step = STEP_MORE;
	size_t			 nrows = 0;	/* PROCs, RSESSs, STREAMs */
	ssize_t			 n;

	while (step == STEP_MORE) {
		if ((n = imsg_get(ibuf, &imsg)) == -1) {
			warnx("malformed message from i2prd");
			return STEP_ERROR;
		}
		if (n == 0) {
			if (ctl_fill(ibuf, timeout) == -1)
				return STEP_ERROR;
			continue;
		}
		step = ctl_dispatch(&imsg, &state, out, &nrows);
		imsg_free(&imsg);
	}
	return step;
}

int
ctl_replies(struct imsgbuf *ibuf, const struct parse_result *res,
    const struct output *out, int timeout)
{
	enum ctl_state	 state;
	enum ctl_step	 step;

	if (ctl_first_state(res->action, &state) == -1)
		return -1;
	out->head(res);
	if ((step = ctl_read(ibuf, state, out, timeout)) == STEP_ERROR)
		return -1;
	if (out->tail() == -1)
		return -1;
	return step == STEP_OK ? 0 : 1;
}

/*
 * show metrics: the views the other show commands print, asked one
 * after the other on the one connection (netd answers show peers
 * through routerd, so its replies could interleave with another
 * view's if the requests went out together).  Everything arrives in
 * out between one head and one tail.
 */
static const enum actions metrics_views[] = {
	SHOW_SUMMARY, SHOW_PEERS_LIMITS, SHOW_NETDB, SHOW_TRANSIT,
	SHOW_TUNNELS, SHOW_PROFILES, SHOW_SAM, SHOW_DESTS, SHOW_PROXIES,
	AB_COUNTS
};

int
ctl_metrics(struct imsgbuf *ibuf, const struct output *out, int timeout)
{
	struct parse_result	 res;
	enum ctl_state		 state;
	enum ctl_step		 step = STEP_OK;
	size_t			 i;

	memset(&res, 0, sizeof(res));
	res.action = SHOW_METRICS;
	out->head(&res);
	for (i = 0; i < sizeof(metrics_views) / sizeof(metrics_views[0]) &&
	    step == STEP_OK; i++) {
		res.action = metrics_views[i];
		if (ctl_first_state(res.action, &state) == -1 ||
		    ctl_send(ibuf, &res) == -1)
			return -1;
		if ((step = ctl_read(ibuf, state, out, timeout)) == STEP_ERROR)
			return -1;
	}
	if (out->tail() == -1)
		return -1;
	return step == STEP_OK ? 0 : 1;
}
