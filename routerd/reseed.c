/*
 * Reseeding from a file (i2pctl reseed import): a ZIP of RouterInfos,
 * as reseed servers serve inside su3 files and as i2pd's reseed.zipfile
 * takes.  The whole file is checked before anything is kept: every
 * entry must be a routerInfo-*.dat that parses, names our network and
 * verifies, and at most half may be stale; then each is stored as if a
 * peer had sent it.  An su3 file must be a reseed file (a ZIP) signed by
 * a signer whose certificate the operator installed; its ZIP is then
 * imported as above.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>
#include <event.h>

#include "buf.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "su3.h"
#include "zip.h"

#define RESEED_FILE_MAX		(8 * 1024 * 1024)
#define RESEED_ENTRIES_MAX	5000
/* published longer ago than this counts as stale */
#define RESEED_STALE_MS		(3ULL * 24 * 3600 * 1000)

struct tally {
	size_t		 total, stale, stored, known;
	uint64_t	 now;
	char		 bad[128];	/* why the file is refused */
};

/* all of fd, up to RESEED_FILE_MAX; -1 if larger or unreadable */
static uint8_t *
slurp(int fd, size_t *len, const char **why)
{
	uint8_t	*buf, *nbuf;
	size_t	 cap = 64 * 1024;
	ssize_t	 n;

	*len = 0;
	*why = "out of memory";
	if ((buf = malloc(cap)) == NULL)
		return NULL;
	for (;;) {
		if (*len == cap) {
			*why = "file too large";
			if (cap >= RESEED_FILE_MAX ||
			    (nbuf = realloc(buf, cap * 2)) == NULL)
				break;
			buf = nbuf;
			cap *= 2;
		}
		if ((n = read(fd, buf + *len, cap - *len)) == 0)
			return buf;
		*why = "cannot read the file";
		if (n == -1)
			break;
		*len += n;
	}
	free(buf);
	return NULL;
}

static int
is_ri_name(const char *name)
{
	size_t	len = strlen(name);

	return strncmp(name, "routerInfo-", 11) == 0 && len > 15 &&
	    strcmp(name + len - 4, ".dat") == 0 && strchr(name, '/') == NULL;
}

static int
check_entry(void *arg, const char *name, const uint8_t *data, size_t len)
{
	struct tally	*t = arg;
	const char	*why;
	uint64_t	 published;

	if (!is_ri_name(name)) {
		snprintf(t->bad, sizeof(t->bad), "entry %.60s is not a "
		    "RouterInfo", name);
		return 1;
	}
	if (netdb_verify(data, len, &published, &why) == -1) {
		snprintf(t->bad, sizeof(t->bad), "entry %.60s: %s", name, why);
		return 1;
	}
	t->total++;
	if (published + RESEED_STALE_MS < t->now)
		t->stale++;
	return 0;
}

static int
store_entry(void *arg, const char *name, const uint8_t *data, size_t len)
{
	struct tally	*t = arg;
	const char	*why;

	switch (netdb_store(data, len, NULL, NULL, 1, &why)) {
	case 1:
		t->stored++;
		break;
	case 0:
		t->known++;
		break;
	}
	return 0;
}

static int
import_zip(const uint8_t *zip, size_t len, char *msg, size_t msglen)
{
	struct tally	 t;
	const char	*why;
	int		 rv;

	memset(&t, 0, sizeof(t));
	t.now = (uint64_t)time(NULL) * 1000;
	rv = zip_walk(zip, len, RESEED_ENTRIES_MAX, RI_MAXLEN, check_entry, &t,
	    &why);
	if (rv == -1)
		snprintf(msg, msglen, "reseed refused: %s", why);
	else if (rv != 0)
		snprintf(msg, msglen, "reseed refused: %s", t.bad);
	else if (t.total == 0)
		snprintf(msg, msglen, "reseed refused: no RouterInfos");
	else if (t.stale * 2 > t.total)
		snprintf(msg, msglen, "reseed refused: too many stale "
		    "RouterInfos (%zu of %zu older than 3 days)", t.stale,
		    t.total);
	else {
		zip_walk(zip, len, RESEED_ENTRIES_MAX, RI_MAXLEN, store_entry,
		    &t, &why);
		snprintf(msg, msglen, "reseed: %zu RouterInfos imported, %zu "
		    "already known, %zu refused", t.stored, t.known,
		    t.total - t.stored - t.known);
		return 0;
	}
	return -1;
}

void
reseed_certs_begin(void)
{
	su3_signers_begin();
}

/* the parent's copy of one certificate file; the length is checked */
void
reseed_cert(const struct reseed_cert *rc, size_t len)
{
	const char	*why;
	char		 name[sizeof(rc->name)];

	memcpy(name, rc->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	if (su3_signers_add(rc->pem, len - sizeof(*rc), &why) == -1)
		log_warnx("reseed certificate %s not trusted: %s", name, why);
	else
		log_debug("reseed certificate %s trusted", name);
}

void
reseed_certs_end(void)
{
	su3_signers_commit();
	log_info("reseed: %zu signers trusted", su3_signers_count());
}

static int
import_su3(const uint8_t *file, size_t len, char *msg, size_t msglen)
{
	struct su3	 s;
	const char	*why;

	if (su3_parse(&s, file, len, &why) == -1 ||
	    su3_verify(&s, file, &why) == -1) {
		snprintf(msg, msglen, "reseed refused: su3: %s%s%s", why,
		    strcmp(why, "unknown signer") == 0 ? " " : "",
		    strcmp(why, "unknown signer") == 0 ? s.signer : "");
		return -1;
	}
	if (s.filetype != SU3_FILE_ZIP ||
	    s.contenttype != SU3_CONTENT_RESEED) {
		snprintf(msg, msglen, "reseed refused: su3 file is not reseed "
		    "data (file type %u, content type %u)", s.filetype,
		    s.contenttype);
		return -1;
	}
	log_info("reseed: su3 version %s signed by %s", s.version, s.signer);
	return import_zip(s.content, s.contentlen, msg, msglen);
}

static struct reseed_stats	rst;

/* the outcome "show netdb" tells */
static void
outcome(int ok, const char *msg)
{
	rst.last = time(NULL);
	rst.ok = ok;
	strlcpy(rst.msg, msg, sizeof(rst.msg));
}

void
reseed_stats(struct reseed_stats *out)
{
	*out = rst;
	out->signers = su3_signers_count();
}

static int
import_buf(const uint8_t *buf, size_t len, int su3_only, char *msg,
    size_t msglen)
{
	int	rv = -1;

	if (len >= 6 && memcmp(buf, SU3_MAGIC, 6) == 0)
		rv = import_su3(buf, len, msg, msglen);
	else if (su3_only)
		snprintf(msg, msglen, "reseed refused: not an su3 file");
	else if (len >= 4 && (memcmp(buf, "PK\003\004", 4) == 0 ||
	    memcmp(buf, "PK\005\006", 4) == 0))	/* an entry, or none */
		rv = import_zip(buf, len, msg, msglen);
	else
		snprintf(msg, msglen, "reseed refused: not a zip or su3 file");
	if (rv == 0)
		log_info("%s", msg);
	else
		log_warnx("%s", msg);
	outcome(rv == 0, msg);
	return rv;
}

int
reseed_import(int fd, char *msg, size_t msglen)
{
	uint8_t		*buf;
	const char	*why;
	size_t		 len;
	int		 rv = -1;

	struct stat	 sb;

	/* a FIFO or a terminal would block routerd */
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		snprintf(msg, msglen, "reseed refused: not a regular file");
		log_warnx("%s", msg);
		outcome(0, msg);
		return -1;
	}
	if ((buf = slurp(fd, &len, &why)) == NULL) {
		snprintf(msg, msglen, "reseed refused: %s", why);
		log_warnx("%s", msg);
		outcome(0, msg);
	} else
		rv = import_buf(buf, len, 0, msg, msglen);
	free(buf);
	return rv;
}

/*
 * HTTPS reseeding: the parent picks a URL and resolves it, netd
 * downloads, the body arrives here in pieces and then the outcome.  A
 * file that does not verify, or a failed download, moves on to the
 * next URL until none is left.  Only su3 files: over HTTPS nothing
 * else says who made the RouterInfos.  At start when the netDb is
 * nearly empty (then again every RESEED_RETRY while it stays so), and
 * on i2pctl reseed fetch.
 */
#define RESEED_MIN_ROUTERS	25	/* as i2pd: fewer and we reseed */
#define RESEED_MIN_FLOODFILLS	5
#define RESEED_RETRY		600	/* s */

static struct {
	int		 running;
	uint32_t	 attempt;
	uint32_t	 connid;	/* the client waiting, 0 if none */
	struct wbuf	 body;
	int		 toolarge;
	struct event	 retry;
	int		 retry_set;
	struct event	 watchdog;	/* an answer for each attempt */
	char		 why[256];	/* the last URL's failure */
} fetch;

/* netd gives up on a download after a minute; this is later still */
#define RESEED_ATTEMPT_MAX	120	/* s */

static void
watchdog(int fd, short event, void *arg)
{
	struct net_fetch_done	d;

	memset(&d, 0, sizeof(d));
	d.code = 1;
	strlcpy(d.msg, "reseed: no answer from the download", sizeof(d.msg));
	reseed_done(&d);
}

static void
ask_parent(void)
{
	struct reseed_req	r = { .attempt = fetch.attempt };
	struct peer		*parent = peer_get(PROC_PARENT);
	struct timeval		 tv = { RESEED_ATTEMPT_MAX, 0 };

	wbuf_free(&fetch.body);
	fetch.toolarge = 0;
	evtimer_set(&fetch.watchdog, watchdog, NULL);
	evtimer_add(&fetch.watchdog, &tv);
	if (parent != NULL)
		peer_compose(parent, IMSG_RESEED_REQUEST, 0, -1, &r, sizeof(r));
}

void
reseed_fetch(uint32_t connid)
{
	if (fetch.running) {
		if (connid != 0)
			control_result(connid, 1, "a reseed is running");
		return;
	}
	memset(&fetch.body, 0, sizeof(fetch.body));
	fetch.running = 1;
	fetch.attempt = 0;
	fetch.why[0] = '\0';
	fetch.connid = connid;
	ask_parent();
}

void
reseed_data(const uint8_t *data, size_t len)
{
	if (!fetch.running || fetch.toolarge)
		return;
	if ((wbuf_len(&fetch.body) == 0 && wbuf_init_dynamic(&fetch.body,
	    256 * 1024, RESEED_FILE_MAX) == -1) ||
	    wbuf_put_bytes(&fetch.body, data, len) == -1)
		fetch.toolarge = 1;
}

static void
retry_timer(int fd, short event, void *arg)
{
	fetch.retry_set = 0;
	reseed_check();
}

static void
fetch_over(int code, const char *msg)
{
	struct timeval	tv = { RESEED_RETRY, 0 };
	size_t		ff;

	if (fetch.connid != 0)
		control_result(fetch.connid, code != 0, msg);
	if (code != 0)
		outcome(0, msg);
	wbuf_free(&fetch.body);
	fetch.running = 0;
	fetch.connid = 0;
	if (code == 1 && (netdb_count(&ff) < RESEED_MIN_ROUTERS ||
	    ff < RESEED_MIN_FLOODFILLS) && !fetch.retry_set) {
		evtimer_set(&fetch.retry, retry_timer, NULL);
		evtimer_add(&fetch.retry, &tv);
		fetch.retry_set = 1;
	}
}

void
reseed_done(const struct net_fetch_done *d)
{
	char	msg[256];

	if (!fetch.running)
		return;
	evtimer_del(&fetch.watchdog);
	if (d->code == 0 && fetch.toolarge)
		snprintf(msg, sizeof(msg), "reseed refused: file too large");
	else if (d->code == 0 && import_buf(wbuf_data(&fetch.body),
	    wbuf_len(&fetch.body), 1, msg, sizeof(msg)) == 0) {
		fetch_over(0, msg);
		return;
	} else if (d->code != 0) {
		strlcpy(msg, d->msg, sizeof(msg));
		log_warnx("%s", msg);
	}
	if (d->code == NET_FETCH_NONE || d->last) {
		/* the parent's "every url failed" says less than the last */
		if (d->code == 1 && fetch.why[0] != '\0' && fetch.attempt > 0)
			snprintf(msg, sizeof(msg), "reseed failed; last: %.200s",
			    fetch.why);
		fetch_over(d->code == NET_FETCH_NONE ? 2 : 1, msg);
		return;
	}
	strlcpy(fetch.why, msg, sizeof(fetch.why));
	fetch.attempt++;
	ask_parent();
}

/* at start and on retries: reseed if the netDb is too small */
void
reseed_check(void)
{
	size_t	ff, n = netdb_count(&ff);

	if (n >= RESEED_MIN_ROUTERS && ff >= RESEED_MIN_FLOODFILLS)
		return;
	log_info("reseed: %zu routers, %zu floodfills known; reseeding", n,
	    ff);
	reseed_fetch(0);
}

void
reseed_shutdown(void)
{
	if (fetch.retry_set)
		evtimer_del(&fetch.retry);
	if (fetch.running)
		evtimer_del(&fetch.watchdog);
	wbuf_free(&fetch.body);
}
