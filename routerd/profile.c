/*
 * Peer profiles; see profile.h.  A red-black tree by router hash,
 * written to PROFILE_FILE (in routerd's directory) every ten minutes
 * and at stop, read back at start through the buffer reader.
 */
#include <bsd/sys/tree.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "file.h"
#include "log.h"
#include "profile.h"

#define MAGIC		"I2PRDPF1"
#define MAGIC_LEN	8

struct prof {
	RB_ENTRY(prof)		 entry;
	struct profile_rec	 r;
	enum profile_tier	 tier;
};

static int
prof_cmp(const struct prof *a, const struct prof *b)
{
	return memcmp(a->r.hash, b->r.hash, 32);
}

RB_HEAD(prof_tree, prof);
RB_PROTOTYPE(prof_tree, prof, entry, prof_cmp)
RB_GENERATE(prof_tree, prof, entry, prof_cmp)

static struct prof_tree	 profs = RB_INITIALIZER(&profs);
static size_t		 nprofs;
static int64_t		 last_decay;
static int64_t		 cap_threshold;
static uint32_t		 lat_threshold;
static size_t		 tier_counts[4];

static struct prof *
prof_find(const uint8_t hash[32])
{
	struct prof	key;

	memcpy(key.r.hash, hash, 32);
	return RB_FIND(prof_tree, &profs, &key);
}

static void
prof_remove(struct prof *p)
{
	RB_REMOVE(prof_tree, &profs, p);
	nprofs--;
	free(p);
}

/* room for one more: the peer heard of longest ago goes */
static void
make_room(void)
{
	struct prof	*p, *old = NULL;

	if (nprofs < PROFILE_MAX)
		return;
	RB_FOREACH(p, prof_tree, &profs)
		if (old == NULL || p->r.last_seen < old->r.last_seen)
			old = p;
	if (old != NULL)
		prof_remove(old);
}

static struct prof *
prof_get(const uint8_t hash[32])
{
	struct prof	*p;

	if ((p = prof_find(hash)) != NULL)
		return p;
	make_room();
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	memcpy(p->r.hash, hash, 32);
	p->tier = TIER_OK;
	RB_INSERT(prof_tree, &profs, p);
	nprofs++;
	return p;
}

void
profile_event(const uint8_t hash[32], int ev, uint32_t lat_ms, int64_t now)
{
	struct prof	*p;

	if ((p = prof_get(hash)) == NULL)
		return;
	p->r.last_seen = now;
	switch (ev) {
	case PEV_AGREED:
		p->r.agreed++;
		if (lat_ms > 0)
			p->r.lat_ms = p->r.lat_ms == 0 ? lat_ms :
			    (uint32_t)(((uint64_t)p->r.lat_ms * 7 + lat_ms) / 8);
		break;
	case PEV_REFUSED:
		p->r.refused++;
		p->r.last_fail = now;
		break;
	case PEV_NO_REPLY:
		p->r.no_reply++;
		p->r.last_fail = now;
		break;
	case PEV_TEST_OK:
		p->r.tests_ok++;
		break;
	case PEV_TEST_FAILED:
		p->r.tests_failed++;
		p->r.last_fail = now;
		break;
	}
}

enum profile_tier
profile_tier(const uint8_t hash[32])
{
	struct prof	*p = prof_find(hash);

	return p == NULL ? TIER_OK : p->tier;
}

int64_t
profile_capacity(const struct profile_rec *r)
{
	return (int64_t)r->agreed + r->tests_ok / 2 - r->refused -
	    2 * (int64_t)r->no_reply - 2 * (int64_t)r->tests_failed;
}

/* refusals lower capacity; failing is what went through and was lost */
int
profile_failing(const struct profile_rec *r)
{
	uint64_t	fails = (uint64_t)r->no_reply + r->tests_failed;

	return fails >= PROFILE_FAIL_MIN &&
	    fails > (uint64_t)r->agreed + r->tests_ok;
}

static void
decay(int64_t now)
{
	struct prof	*p;

	if (last_decay == 0 || now < last_decay)
		last_decay = now;
	while (now - last_decay >= PROFILE_HALF_LIFE) {
		RB_FOREACH(p, prof_tree, &profs) {
			p->r.agreed /= 2;
			p->r.refused /= 2;
			p->r.no_reply /= 2;
			p->r.tests_ok /= 2;
			p->r.tests_failed /= 2;
		}
		last_decay += PROFILE_HALF_LIFE;
	}
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
active(const struct prof *p, int64_t now)
{
	return now - p->r.last_seen < PROFILE_ACTIVE &&
	    !profile_failing(&p->r);
}

/* the median of the active peers' capacities, or of the high-capacity
   peers' latencies (lat set): 0 if none */
static int64_t
median(int64_t now, int lat)
{
	struct prof	*p;
	int64_t		*v, m = 0;
	size_t		 n = 0;

	if ((v = calloc(nprofs + 1, sizeof(*v))) == NULL)
		return 0;
	RB_FOREACH(p, prof_tree, &profs) {
		if (!active(p, now))
			continue;
		if (!lat)
			v[n++] = profile_capacity(&p->r);
		else if (p->tier == TIER_HIGHCAP && p->r.lat_ms > 0)
			v[n++] = p->r.lat_ms;
	}
	if (n > 0) {
		qsort(v, n, sizeof(*v), i64_cmp);
		m = v[(n - 1) / 2];
	}
	free(v);
	return m;
}

void
profile_recompute(int64_t now)
{
	struct prof	*p;

	decay(now);
	cap_threshold = median(now, 0);
	if (cap_threshold < 1)
		cap_threshold = 1;
	RB_FOREACH(p, prof_tree, &profs)
		p->tier = profile_failing(&p->r) ? TIER_FAILING :
		    active(p, now) && profile_capacity(&p->r) >=
		    cap_threshold ? TIER_HIGHCAP : TIER_OK;
	lat_threshold = median(now, 1);
	memset(tier_counts, 0, sizeof(tier_counts));
	RB_FOREACH(p, prof_tree, &profs) {
		if (p->tier == TIER_HIGHCAP && p->r.lat_ms > 0 &&
		    p->r.lat_ms <= lat_threshold)
			p->tier = TIER_FAST;
		tier_counts[p->tier]++;
	}
}

void
profile_foreach(void (*cb)(const struct profile_rec *, enum profile_tier,
    void *), void *arg)
{
	struct prof	*p;

	RB_FOREACH(p, prof_tree, &profs)
		cb(&p->r, p->tier, arg);
}

void
profile_thresholds(int64_t *capacity, uint32_t *lat_ms, size_t counts[4])
{
	*capacity = cap_threshold;
	*lat_ms = lat_threshold;
	memcpy(counts, tier_counts, sizeof(tier_counts));
}

size_t
profile_encode(uint8_t *buf, size_t len)
{
	struct prof	*p;
	struct wbuf	 w;
	size_t		 need = MAGIC_LEN + 4 + nprofs * PROFILE_REC_LEN;

	if (len < need)
		return need;
	wbuf_init_fixed(&w, buf, len);
	wbuf_put_bytes(&w, MAGIC, MAGIC_LEN);
	wbuf_put_u32(&w, nprofs);
	RB_FOREACH(p, prof_tree, &profs) {
		wbuf_put_bytes(&w, p->r.hash, 32);
		wbuf_put_u32(&w, p->r.agreed);
		wbuf_put_u32(&w, p->r.refused);
		wbuf_put_u32(&w, p->r.no_reply);
		wbuf_put_u32(&w, p->r.tests_ok);
		wbuf_put_u32(&w, p->r.tests_failed);
		wbuf_put_u32(&w, p->r.lat_ms);
		wbuf_put_u64(&w, p->r.last_seen);
		wbuf_put_u64(&w, p->r.last_fail);
	}
	return wbuf_error(&w) ? need : wbuf_len(&w);
}

static int
get_rec(struct rbuf *r, struct profile_rec *rec)
{
	uint64_t	seen, fail;

	if (rbuf_get_bytes(r, rec->hash, 32) == -1 ||
	    rbuf_get_u32(r, &rec->agreed) == -1 ||
	    rbuf_get_u32(r, &rec->refused) == -1 ||
	    rbuf_get_u32(r, &rec->no_reply) == -1 ||
	    rbuf_get_u32(r, &rec->tests_ok) == -1 ||
	    rbuf_get_u32(r, &rec->tests_failed) == -1 ||
	    rbuf_get_u32(r, &rec->lat_ms) == -1 ||
	    rbuf_get_u64(r, &seen) == -1 || rbuf_get_u64(r, &fail) == -1 ||
	    seen > INT64_MAX || fail > INT64_MAX)
		return -1;
	rec->last_seen = seen;
	rec->last_fail = fail;
	return 0;
}

int
profile_decode(const uint8_t *buf, size_t len, const char **why)
{
	struct profile_rec	 rec;
	struct prof		*p;
	struct rbuf		 r;
	uint8_t			 magic[MAGIC_LEN];
	uint32_t		 n, i;

	rbuf_init(&r, buf, len);
	*why = "not a profile file";
	if (rbuf_get_bytes(&r, magic, MAGIC_LEN) == -1 ||
	    memcmp(magic, MAGIC, MAGIC_LEN) != 0)
		return -1;
	*why = "bad record count";
	if (rbuf_get_u32(&r, &n) == -1 || n > PROFILE_MAX ||
	    rbuf_left(&r) != (size_t)n * PROFILE_REC_LEN)
		return -1;
	profile_clear();
	for (i = 0; i < n; i++) {
		*why = "duplicate peer";
		if (get_rec(&r, &rec) == -1 || prof_find(rec.hash) != NULL ||
		    (p = prof_get(rec.hash)) == NULL) {
			profile_clear();
			return -1;
		}
		p->r = rec;
	}
	return 0;
}

int
profile_load(void)
{
	struct stat	 sb;
	uint8_t		*buf;
	const char	*why;
	ssize_t		 n;
	int		 fd, rv = -1;

	if ((fd = open(PROFILE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) ==
	    -1) {
		if (errno != ENOENT)
			log_warn("profiles: %s", PROFILE_FILE);
		return errno == ENOENT ? 0 : -1;
	}
	if (fstat(fd, &sb) == -1 || sb.st_size > MAGIC_LEN + 4 +
	    (off_t)PROFILE_MAX * PROFILE_REC_LEN ||
	    (buf = malloc(sb.st_size + 1)) == NULL) {
		log_warnx("profiles: %s: too large or unreadable, ignored",
		    PROFILE_FILE);
		close(fd);
		return -1;
	}
	if ((n = read(fd, buf, sb.st_size)) != sb.st_size)
		log_warnx("profiles: %s: short read, ignored", PROFILE_FILE);
	else if (profile_decode(buf, n, &why) == -1)
		log_warnx("profiles: %s: %s, ignored", PROFILE_FILE, why);
	else {
		log_info("profiles: %zu peers loaded", nprofs);
		rv = 0;
	}
	free(buf);
	close(fd);
	return rv;
}

int
profile_save(void)
{
	uint8_t		*buf;
	size_t		 len = profile_encode(NULL, 0);
	int		 rv;

	if ((buf = malloc(len)) == NULL)
		return -1;
	len = profile_encode(buf, len);
	if ((rv = file_write_atomic(PROFILE_FILE, buf, len, 0600,
	    FILE_SYNC_DIR)) == -1)
		log_warn("profiles: %s", PROFILE_FILE);
	free(buf);
	return rv;
}

void
profile_clear(void)
{
	struct prof	*p;

	while ((p = RB_MIN(prof_tree, &profs)) != NULL)
		prof_remove(p);
	last_decay = 0;
	memset(tier_counts, 0, sizeof(tier_counts));
}
