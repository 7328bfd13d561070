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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

	switch (netdb_store(data, len, NULL, 1, &why)) {
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

int
reseed_import(int fd, char *msg, size_t msglen)
{
	uint8_t		*buf;
	const char	*why;
	size_t		 len;
	int		 rv = -1;

	if ((buf = slurp(fd, &len, &why)) == NULL)
		snprintf(msg, msglen, "reseed refused: %s", why);
	else if (len >= 6 && memcmp(buf, SU3_MAGIC, 6) == 0)
		rv = import_su3(buf, len, msg, msglen);
	else if (len >= 4 && (memcmp(buf, "PK\003\004", 4) == 0 ||
	    memcmp(buf, "PK\005\006", 4) == 0))	/* an entry, or none */
		rv = import_zip(buf, len, msg, msglen);
	else
		snprintf(msg, msglen, "reseed refused: not a zip or su3 file");
	free(buf);
	if (rv == 0)
		log_info("%s", msg);
	else
		log_warnx("%s", msg);
	return rv;
}
