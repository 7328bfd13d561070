/*
 * The network database, as far as NTCP2 needs it: RouterInfos loaded
 * from netDb/r?/routerInfo-<hash>.dat (the layout i2pd and the Java
 * router use) and stored when peers send them, each verified first.
 * Files are written atomically; a damaged file is skipped with a log
 * line.  Routing keys are cached per entry for the closest-router
 * search (kad.c).
 *
 * What a peer may make us do (audit #6): each new version costs an
 * Ed25519 verify and a file, so stores that would be verified take a
 * token from the sender's bucket first and then from one bucket for
 * all senders; a version that changes only "published" is written at
 * most every NETDB_REWRITE s (the rest when that time has come, at
 * the next expiry pass); and the files, a cache, are never fsynced.
 *
 * A full netDb (audit #7) makes room rather than refuse: the
 * RouterInfo published longest ago goes, unless its router is in use
 * (peers_in_use()); a peer that brought more than NETDB_SHARE of the
 * entries is refused instead.  Otherwise one attacker's fresh
 * identities would keep out the RouterInfos of real peers.
 */
#include <sys/stat.h>

#include <bsd/string.h>
#include <bsd/sys/cdefs.h>
#include <bsd/sys/tree.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "encoding.h"
#include "file.h"
#include "i2pdata.h"
#include "dsm.h"
#include "kad.h"
#include "log.h"
#include "routerd.h"
#include "throttle.h"

#define NETDB_DIR		"netDb"
/* a RouterInfo published this far ahead of our clock is refused */
#define NETDB_FUTURE_MS		(120 * 1000)

RB_HEAD(ri_tree, ri_entry);
RB_PROTOTYPE(ri_tree, ri_entry, entry, ri_cmp)
static struct ri_tree	netdb = RB_INITIALIZER(&netdb);
static size_t		netdb_n, netdb_nff;
static int		netdb_netid;
static struct netdb_stats st;
static struct bucket_set store_buckets;	/* per sender */
static struct bucket	 store_all;	/* all senders */
static struct share_set	 shares;	/* entries each sender brought */

/* libbsd's tree.h cannot mark static generated functions unused */
static int
ri_cmp(struct ri_entry *a, struct ri_entry *b)
{
	return memcmp(a->hash, b->hash, sizeof(a->hash));
}
RB_GENERATE(ri_tree, ri_entry, entry, ri_cmp)

const struct ri_entry *
netdb_get(const uint8_t hash[32])
{
	struct ri_entry	key;

	memcpy(key.hash, hash, sizeof(key.hash));
	return RB_FIND(ri_tree, &netdb, &key);
}

void
netdb_foreach(void (*cb)(const struct ri_entry *, void *), void *arg)
{
	struct ri_entry	*e;

	RB_FOREACH(e, ri_tree, &netdb)
		cb(e, arg);
}

void
netdb_flooded(const uint8_t hash[32])
{
	struct ri_entry	*e;

	if ((e = (struct ri_entry *)netdb_get(hash)) != NULL)
		e->flooded = e->published;
}

/*
 * Compressed when first asked for, kept with the entry: a floodfill
 * sends the same RouterInfos again and again.
 */
const uint8_t *
netdb_gz(const struct ri_entry *ce, size_t *len)
{
	struct ri_entry	*e = (struct ri_entry *)ce;
	uint8_t		 gz[DSM_RI_MAX + 64];

	if (e->gz == NULL) {
		if (gzip_deflate(gz, sizeof(gz), &e->gzlen, e->raw,
		    e->rawlen) == -1 || (e->gz = malloc(e->gzlen)) == NULL)
			return NULL;
		memcpy(e->gz, gz, e->gzlen);
	}
	*len = e->gzlen;
	return e->gz;
}

size_t
netdb_count(size_t *floodfills)
{
	if (floodfills != NULL)
		*floodfills = netdb_nff;
	return netdb_n;
}

/*
 * One pass over the netDb.  Routing keys are kept with the entries and
 * made again, one SHA-256 each, only when the day has turned.
 */
size_t
netdb_closest(const uint8_t key[32], int kind,
    int (*skip)(const uint8_t hash[32], void *), void *arg,
    struct kad_near *near, size_t max)
{
	struct kad_closest	 c;
	struct ri_entry		*e;
	uint8_t			 target[32];
	uint32_t		 day = kad_day(time(NULL));

	if (kad_routing_key(target, key, day) == -1)
		return 0;
	kad_closest_init(&c, target, near, max);
	RB_FOREACH(e, ri_tree, &netdb) {
		if (e->floodfill != (kind == NETDB_FF) ||
		    (skip != NULL && skip(e->hash, arg)))
			continue;
		if (e->rkey_day != day) {
			kad_routing_key(e->rkey, e->hash, day);
			e->rkey_day = day;
		}
		kad_closest_offer(&c, e->rkey, e->hash);
	}
	return c.n;
}

/* netDb/r<C>/routerInfo-<base64 hash>.dat */
static int
netdb_path(const uint8_t hash[32], char *path, size_t len, char *dir,
    size_t dirlen)
{
	char	b64[B64_ENCLEN(32)];

	if (b64_encode(b64, sizeof(b64), hash, 32) == -1)
		return -1;
	snprintf(dir, dirlen, "%s/r%c", NETDB_DIR, b64[0]);
	snprintf(path, len, "%s/routerInfo-%s.dat", dir, b64);
	return 0;
}

static void
netdb_persist(struct ri_entry *e)
{
	char	path[128], dir[32];

	e->written = time(NULL);
	e->dirty = 0;
	if (netdb_path(e->hash, path, sizeof(path), dir, sizeof(dir)) == -1)
		return;
	if ((mkdir(NETDB_DIR, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(dir, 0755) == -1 && errno != EEXIST)) {
		log_warn("netDb: mkdir %s", dir);
		return;
	}
	/* a cache: neither it nor its directory is synced */
	if (file_write_atomic(path, e->raw, e->rawlen, 0644,
	    FILE_NO_FSYNC) == -1)
		log_warn("netDb: %s", path);
}

#define EXPIRE_FLOODFILL_MS	(60ULL * 60 * 1000)
#define EXPIRE_MIN_MS		(90ULL * 60 * 1000)
#define EXPIRE_MAX_MS		(27ULL * 3600 * 1000)

static uint64_t
expire_after(int floodfill)
{
	if (floodfill)
		return EXPIRE_FLOODFILL_MS;
	if (netdb_n <= NETDB_MIN_ROUTERS)
		return EXPIRE_MAX_MS;
	return EXPIRE_MIN_MS + (EXPIRE_MAX_MS - EXPIRE_MIN_MS) *
	    NETDB_MIN_ROUTERS / netdb_n;
}

static void
netdb_unlink(const uint8_t hash[32])
{
	char	path[128], dir[32];

	if (netdb_path(hash, path, sizeof(path), dir, sizeof(dir)) == 0 &&
	    unlink(path) == -1 && errno != ENOENT)
		log_warn("netDb: %s", path);
}

/* out of the tree and freed, its sender's share given back; file stays */
static void
entry_remove(struct ri_entry *e)
{
	if (e->charged)
		share_del(&shares, e->share_slot);
	RB_REMOVE(ri_tree, &netdb, e);
	netdb_n--;
	netdb_nff -= e->floodfill;
	free(e->raw);
	free(e->gz);
	free(e);
}

/* versions not written yet (only published changed) whose time came */
static void
netdb_flush(time_t now, int all)
{
	struct ri_entry	*e;

	RB_FOREACH(e, ri_tree, &netdb)
		if (e->dirty && (all || now - e->written >= NETDB_REWRITE))
			netdb_persist(e);
}

size_t
netdb_expire(uint64_t now_ms, int floodfill)
{
	struct ri_entry	*e, *next;
	uint64_t	 after = expire_after(floodfill);
	size_t		 gone = 0;

	netdb_flush(now_ms / 1000, 0);
	RB_FOREACH_SAFE(e, ri_tree, &netdb, next) {
		if (netdb_n <= NETDB_MIN_ROUTERS)
			break;
		if (e->published + after > now_ms)
			continue;
		netdb_unlink(e->hash);
		entry_remove(e);
		gone++;
	}
	if (gone > 0)
		log_info("netDb: %zu RouterInfos expired, %zu kept", gone,
		    netdb_n);
	return gone;
}

/* what a peer's RouterInfo must be before we keep it */
static int
netdb_check(const struct router_info *ri, const uint8_t *expect,
    const char **why)
{
	const struct router_info	*self = publish_current();
	unsigned long long		 netid;
	uint64_t			 now = (uint64_t)time(NULL) * 1000;

	*why = "not the router it claims to be";
	if (expect != NULL && memcmp(expect, ri->ident.hash, 32) != 0)
		return -1;
	*why = "our own RouterInfo";
	if (self != NULL && memcmp(self->ident.hash, ri->ident.hash, 32) == 0)
		return -1;
	*why = "wrong netId";
	if (mapping_get_uint(&ri->options, "netId", 255, &netid) == -1 ||
	    (int)netid != netdb_netid)
		return -1;
	*why = "no router.version";
	if (mapping_get(&ri->options, "router.version") == NULL)
		return -1;
	*why = "published in the future";
	if (ri->published > now + NETDB_FUTURE_MS)
		return -1;
	return 0;
}

/* what netdb_store would check of a RouterInfo, signature included */
int
netdb_verify(const uint8_t *raw, size_t len, uint64_t *published,
    const char **why)
{
	struct router_info	*ri;
	struct i2p_err		 err;
	int			 rv = -1;

	if ((ri = malloc(sizeof(*ri))) == NULL)
		fatal(NULL);
	*why = "malformed";
	if (ri_parse(ri, raw, len, &err) == -1 ||
	    netdb_check(ri, NULL, why) == -1)
		goto out;
	*why = "bad signature";
	if (ri_verify(ri, &err) == -1)
		goto out;
	*published = ri->published;
	rv = 0;
 out:
	free(ri);
	return rv;
}

int
netdb_from_peer(const uint8_t *from)
{
	const struct router_info	*self = publish_current();

	return from != NULL &&
	    (self == NULL || memcmp(from, self->ident.hash, 32) != 0);
}

/*
 * A new version from a peer is about to cost a verify and a write:
 * 1 if the sender's bucket and then the bucket of all senders have a
 * token.  Ourselves (from NULL: the disk, a reseed) are not limited;
 * what comes down our own tunnels (from our hash) only by the second.
 */
int
netdb_store_allowed(const uint8_t *from)
{
	uint64_t	t = mono_ms();

	if (from == NULL)
		return 1;
	if (netdb_from_peer(from) &&
	    !bucket_take(&store_buckets, from, NETDB_STORE_RATE,
	    NETDB_STORE_BURST, t)) {
		st.stores_throttled++;
		return 0;
	}
	if (!token_take(&store_all, NETDB_STORE_ALL_RATE,
	    NETDB_STORE_ALL_BURST, t)) {
		st.stores_throttled_all++;
		return 0;
	}
	return 1;
}

/* the same RouterInfo but for "published" (and so its signature) */
static int
only_published(const struct ri_entry *old, const struct router_info *ri)
{
	size_t	off = ri->ident.rawlen + 8;

	return old->rawlen == ri->rawlen && ri->signedlen >= off &&
	    memcmp(old->raw + off, ri->raw + off, ri->signedlen - off) == 0;
}

/* an address of that style with a host: one we could dial */
static int
has_host(const struct router_info *ri, const char *style)
{
	size_t	 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++)
		if (strcmp(ri->addrs[i].style, style) == 0 &&
		    mapping_get(&ri->addrs[i].options, "host") != NULL)
			return 1;
	return 0;
}

int
netdb_dialable(const struct ri_entry *e)
{
	const struct listen_addr	*la;

	if (e->ntcp2)
		return 1;
	if (!e->ssu2 || child_conf() == NULL)
		return 0;
	/* netd dials SSU2 from its SSU2 sockets only */
	TAILQ_FOREACH(la, &child_conf()->listen, entry)
		if (la->transport == LISTEN_SSU2)
			return 1;
	return 0;
}

static struct ri_entry *
entry_new(const struct router_info *ri)
{
	struct ri_entry			*e;
	const char			*caps;

	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->raw = malloc(ri->rawlen)) == NULL)
		fatal(NULL);
	memcpy(e->hash, ri->ident.hash, 32);
	memcpy(e->raw, ri->raw, ri->rawlen);
	e->rawlen = ri->rawlen;
	e->published = ri->published;
	caps = mapping_get(&ri->options, "caps");
	e->floodfill = caps != NULL && strchr(caps, 'f') != NULL;
	e->ntcp2 = has_host(ri, "NTCP2");
	e->ssu2 = has_host(ri, "SSU2");
	return e;
}

/*
 * The new entry written, unless only "published" changed since the
 * last write of its router within NETDB_REWRITE: then later.
 */
static void
entry_persist(struct ri_entry *e, const struct ri_entry *old,
    const struct router_info *ri)
{
	time_t	now = time(NULL);

	if (old != NULL && only_published(old, ri) &&
	    now - old->written < NETDB_REWRITE) {
		e->written = old->written;
		e->dirty = 1;
		st.writes_deferred++;
		return;
	}
	netdb_persist(e);
}

/*
 * A full netDb: the peer over its share is refused, else the oldest
 * RouterInfo not in use goes.  Only routers that become the oldest
 * seen are looked up among the peers, a few per pass.
 */
static int
make_room(const uint8_t *from, const char **why)
{
	struct ri_entry	*e, *victim = NULL;

	*why = "sender over its share of a full netDb";
	if (netdb_from_peer(from) && !share_room(&shares,
	    share_slot(&shares, from), NETDB_SHARE)) {
		st.ri_refused_share++;
		return -1;
	}
	RB_FOREACH(e, ri_tree, &netdb) {
		if (victim != NULL && e->published >= victim->published)
			continue;
		if (!peers_in_use(e->hash))
			victim = e;
	}
	*why = "netDb full of routers in use";
	if (victim == NULL) {
		st.ri_refused_full++;
		return -1;
	}
	netdb_unlink(victim->hash);
	entry_remove(victim);
	st.ri_evicted++;
	return 0;
}

/* a new router counts against its sender; a new version keeps that */
static void
entry_charge(struct ri_entry *e, struct ri_entry *old, const uint8_t *from)
{
	if (old != NULL) {
		e->charged = old->charged;
		e->share_slot = old->share_slot;
		old->charged = 0;
	} else if (netdb_from_peer(from)) {
		e->charged = 1;
		e->share_slot = share_slot(&shares, from);
		share_add(&shares, e->share_slot);
	}
}

/*
 * Verifies and keeps a RouterInfo if it is newer than the one we have.
 * from: the peer that sent it (netdb_store_allowed()).  Returns 1 if
 * stored, 0 if not newer, -1 if refused (why says it).
 */
int
netdb_store(const uint8_t *raw, size_t len, const uint8_t *expect_hash,
    const uint8_t *from, int persist, const char **why)
{
	struct router_info		*ri;
	struct ri_entry			*e, *old;
	struct i2p_err			 err;
	int				 rv = -1;

	if ((ri = malloc(sizeof(*ri))) == NULL)
		fatal(NULL);
	*why = "malformed";
	if (ri_parse(ri, raw, len, &err) == -1)
		goto out;
	if (netdb_check(ri, expect_hash, why) == -1)
		goto out;
	/*
	 * Not newer than what we hold: nothing to keep, so no signature to
	 * check (every session brings the peer's RouterInfo again).
	 */
	old = (struct ri_entry *)netdb_get(ri->ident.hash);
	rv = 0;
	if (old != NULL && old->published >= ri->published)
		goto out;
	rv = -1;
	*why = "over the store rate";
	if (!netdb_store_allowed(from))
		goto out;
	*why = "bad signature";
	if (ri_verify(ri, &err) == -1)
		goto out;
	if (old == NULL && netdb_n >= NETDB_MAX && make_room(from, why) == -1)
		goto out;
	e = entry_new(ri);
	entry_charge(e, old, from);
	if (persist)
		entry_persist(e, old, ri);
	if (old != NULL)
		entry_remove(old);
	RB_INSERT(ri_tree, &netdb, e);
	netdb_n++;
	netdb_nff += e->floodfill;
	rv = 1;
out:
	free(ri);
	return rv;
}

static void
netdb_load_file(const char *path)
{
	uint8_t		 buf[RI_MAXLEN + 1];
	const char	*why;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		log_warn("netDb: %s", path);
		return;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || n > RI_MAXLEN) {
		log_warnx("netDb: %s: bad size, skipped", path);
		return;
	}
	if (netdb_store(buf, n, NULL, NULL, 0, &why) == -1)
		log_warnx("netDb: %s: %s, skipped", path, why);
}

/* at start; the parts of the tree that are not ours are left alone */
void
netdb_load(int netid)
{
	DIR		*top, *sub;
	struct dirent	*de, *fe;
	char		 dir[64], path[384];

	netdb_netid = netid;
	if ((top = opendir(NETDB_DIR)) == NULL)
		return;
	while ((de = readdir(top)) != NULL) {
		if (de->d_name[0] != 'r' || strlen(de->d_name) != 2)
			continue;
		/* "r" and one character, checked above */
		snprintf(dir, sizeof(dir), "%s/r%c", NETDB_DIR, de->d_name[1]);
		if ((sub = opendir(dir)) == NULL)
			continue;
		while ((fe = readdir(sub)) != NULL) {
			if (strncmp(fe->d_name, "routerInfo-", 11) != 0 ||
			    strlen(fe->d_name) < 15 ||
			    strcmp(fe->d_name + strlen(fe->d_name) - 4,
			    ".dat") != 0)
				continue;
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			    fe->d_name) < sizeof(path))
				netdb_load_file(path);
		}
		closedir(sub);
	}
	closedir(top);
	log_info("netDb: %zu RouterInfos loaded", netdb_n);
}

void
netdb_stats(struct netdb_stats *out)
{
	*out = st;
}

/* what waited to be written goes to disk first */
void
netdb_shutdown(void)
{
	struct ri_entry	*e;

	netdb_flush(time(NULL), 1);
	while ((e = RB_MIN(ri_tree, &netdb)) != NULL)
		entry_remove(e);
}
