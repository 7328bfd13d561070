/*
 * The parent's part in reseeding: the files routerd and netd, chrooted
 * away from /etc, cannot read, and the names they cannot resolve.
 *
 * The reseed signers' certificates (reseed certificates DIR): routerd,
 * which checks su3 signatures, is chrooted away from /etc, so the
 * parent reads every DIR/NAME.crt at start and at each reload and passes
 * their bytes on; routerd parses them and replaces its trusted set at
 * the end.  A missing directory leaves no signer trusted, which only
 * refuses su3 files: zip import and our own export keep working.
 */
#include <sys/socket.h>
#include <sys/stat.h>


#include <bsd/string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <bsd/stdlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"
#include "url.h"

static int
has_suffix(const char *name, const char *suffix)
{
	size_t	n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

/* the file's bytes, at most cap; -1 with errno */
static ssize_t
read_cert(int dirfd, const char *name, uint8_t *buf, size_t cap)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, saved;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) ==
	    -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	errno = EINVAL;			/* a directory, a fifo... */
	if (!S_ISREG(st.st_mode))
		goto fail;
	errno = EFBIG;
	if ((uintmax_t)st.st_size > cap)
		goto fail;
	while (len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += n;
	if (n == -1)
		goto fail;
	close(fd);
	return len;
 fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

void
children_send_certs(const char *dir)
{
	struct peer		*p = child_peer(PROC_ROUTERD);
	struct reseed_cert	*rc;
	struct dirent		*de;
	DIR			*d;
	ssize_t			 n;
	size_t			 sent = 0;

	if ((rc = malloc(sizeof(*rc) + RESEED_CERT_MAX)) == NULL)
		fatal(NULL);
	peer_compose(p, IMSG_RESEED_CERTS_BEGIN, 0, -1, NULL, 0);
	if ((d = opendir(dir)) == NULL)
		log_warn("reseed certificates %s", dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".crt"))
			continue;
		memset(rc, 0, sizeof(*rc));
		strlcpy(rc->name, de->d_name, sizeof(rc->name));
		if ((n = read_cert(dirfd(d), de->d_name, rc->pem,
		    RESEED_CERT_MAX)) == -1) {
			log_warn("reseed certificate %s/%s", dir, de->d_name);
			continue;
		}
		if (n == 0) {
			log_warnx("reseed certificate %s/%s: empty", dir,
			    de->d_name);
			continue;
		}
		peer_compose(p, IMSG_RESEED_CERT, 0, -1, rc, sizeof(*rc) + n);
		sent++;
	}
	if (d != NULL)
		closedir(d);
	free(rc);
	peer_compose(p, IMSG_RESEED_CERTS_END, 0, -1, NULL, 0);
	log_debug("%zu reseed certificates from %s sent to routerd", sent, dir);
}

/*
 * The CA certificates HTTPS reseeding trusts (reseed ca FILE, a PEM
 * bundle such as ca-certificates.crt): each certificate in it goes to
 * netd on its own; netd parses them.
 */
#define CA_FILE_MAX	(4 * 1024 * 1024)
#define PEM_BEGIN	"-----BEGIN CERTIFICATE-----"
#define PEM_END		"-----END CERTIFICATE-----"

static void
send_ca(struct peer *netd, const char *path)
{
	char		*buf, *p, *end;
	ssize_t		 r;
	size_t		 n;
	size_t		 sent = 0;
	int		 fd;

	if ((buf = malloc(CA_FILE_MAX + 1)) == NULL)
		fatal(NULL);
	n = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		log_warn("reseed ca %s", path);
	while (fd != -1 && n < CA_FILE_MAX) {
		if ((r = read(fd, buf + n, CA_FILE_MAX - n)) <= 0) {
			if (r == -1)
				log_warn("reseed ca %s", path);
			break;
		}
		n += r;
	}
	if (n == CA_FILE_MAX)
		log_warnx("reseed ca %s: larger than %d bytes, the rest "
		    "ignored", path, CA_FILE_MAX);
	if (fd != -1)
		close(fd);
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, PEM_BEGIN)) != NULL; p = end) {
		if ((end = strstr(p, PEM_END)) == NULL)
			break;
		end += strlen(PEM_END);
		if (end - p <= NET_CA_MAX) {
			peer_compose(netd, IMSG_NET_CA, 0, -1, p, end - p);
			sent++;
		}
	}
	free(buf);
	log_debug("%zu CA certificates from %s sent to netd", sent, path);
}

void
children_send_reseed(const struct i2prd_conf *conf)
{
	struct peer	*netd = child_peer(PROC_NETD);

	children_send_certs(conf->reseed_certdir);
	peer_compose(netd, IMSG_NET_CA_BEGIN, 0, -1, NULL, 0);
	send_ca(netd, conf->reseed_ca);
	peer_compose(netd, IMSG_NET_CA_END, 0, -1, NULL, 0);
}

static void
reseed_failed(int code, int last, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reseed_failed(int code, int last, const char *fmt, ...)
{
	struct net_fetch_done	d;
	va_list			ap;

	memset(&d, 0, sizeof(d));
	d.code = code;
	d.last = last;
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	peer_compose(child_peer(PROC_ROUTERD), IMSG_NET_RESEED_DONE, 0, -1,
	    &d, sizeof(d));
}

/* the request waiting for its host's addresses (resolve.c) */
static struct {
	struct net_fetch	 req;
	int			 last;
} pending;

static void
reseed_resolved(void *arg, const struct listen_msg *addrs, uint32_t n,
    const char *why)
{
	if (n == 0) {
		reseed_failed(1, pending.last, "reseed from %s: %s",
		    pending.req.host, why);
		return;
	}
	memcpy(pending.req.addrs, addrs, n * sizeof(*addrs));
	pending.req.naddrs = n;
	peer_compose(child_peer(PROC_NETD), IMSG_NET_RESEED_FETCH, 0, -1,
	    &pending.req, sizeof(pending.req));
}

/*
 * routerd wants a reseed file: attempt n of the configured URLs, from
 * one picked at random when n is 0, so that routers spread over the
 * servers.  netd gets the URL's addresses; routerd hears of failures
 * here and asks for the next.
 */
void
parent_reseed_request(const struct reseed_req *r)
{
	static uint32_t		 first;
	const struct i2prd_conf	*conf = parent_conf;
	struct net_fetch	 req;
	struct url		 u;
	const char		*url, *why;
	int			 n = conf->nreseed_urls, last;

	if (n == 0) {
		reseed_failed(NET_FETCH_NONE, 1, "reseed: no reseed url configured");
		return;
	}
	if (r->attempt >= (uint32_t)n) {
		reseed_failed(1, 1, "reseed: every reseed url failed");
		return;
	}
	if (r->attempt == 0)
		first = arc4random_uniform(n);
	url = conf->reseed_urls[(first + r->attempt) % n];
	last = r->attempt + 1 == (uint32_t)n;
	memset(&req, 0, sizeof(req));
	if (url_parse(url, &u, &why) == -1 ||
	    url_reseed_path(&u, conf->netid, req.path, sizeof(req.path)) == -1) {
		reseed_failed(1, last, "reseed url %s: %s", url, "bad url");
		return;
	}
	strlcpy(req.host, u.host, sizeof(req.host));
	req.port = u.port;
	pending.req = req;
	pending.last = last;
	if (resolve_start(conf->user, u.host, u.port, reseed_resolved,
	    NULL) == -1)
		reseed_failed(1, last, "reseed from %s: %s", u.host,
		    "no resolver (one is under way?)");
}
