/*
 * The address book (issue 16, item 4): names ending in .i2p to
 * Destinations, in three books looked up in the order local, private,
 * subscribed.  Module map:
 *
 *   addrbook_name.c	naming.html's rules for a host name
 *   addrbook_line.c	hosts.txt lines: "name=b64dest[#!key=val#...]",
 *			"#!key=val#..." and comments, through the buffer
 *			reader; bad lines skipped with a reason
 *   addrbook_sig.c	signed feed lines (subscription.rst): the bytes
 *			signed, sig and oldsig checked with ident_verify
 *   addrbook_store.c	the books: a hash table per book keyed by name,
 *			destinations kept as bytes, first-come wins,
 *			conflicts counted and the last ones kept for show
 *   addrbook_feed.c	applies a fetched feed (or any hosts.txt text)
 *			to a book: plain adds and verified commands
 *   addrbook_file.c	the books on disk in hosts.txt form and the state
 *			of each subscription, written atomically
 *   addrbook_sub.c	a subscription's conditional GET and what to keep
 *			of the answer (ETag, Last-Modified, counts)
 *   addrbook_main.c	tunneld's one book: loaded at start, saved when
 *			changed, the resolver for SAM (and the proxies)
 *   addrbook_ctl.c	i2pctl addressbook add, del, lookup, show
 *
 * Names are stored in lower case (naming.html: "converted to lower case
 * on import"); lookups are case-insensitive.
 *
 * Decisions: the order local, private, subscribed is issue 16's (the
 * Java router searches privatehosts.txt first; a private pet name
 * rarely shares a name with a local one).  A feed's new name is checked
 * against the local and subscribed books, not the private one, as
 * naming.html says; a Destination already known under another name is
 * not refused (aliases are common and addname makes them on purpose).
 * One Destination per name: adddest keeps a known olddest.
 */
#ifndef I2PRD_TUNNELD_ADDRBOOK_H
#define I2PRD_TUNNELD_ADDRBOOK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "i2prd.h"

#define AB_NAME_MAX		67	/* naming.html, with ".i2p" */
#define AB_LINE_MAX		4096	/* longer lines are skipped */
#define AB_PROPS_MAX		16	/* key=value pairs after "#!" */
/*
 * Entries per book: what a subscription or a user can make tunneld
 * hold.  A full Destination with its name costs about 520 bytes, so the
 * subscribed book tops out near 52 MB.
 */
#define AB_LOCAL_MAX		10000
#define AB_PRIVATE_MAX		10000
#define AB_SUBSCRIBED_MAX	100000
/*
 * removeall scans the whole book; anyone can sign one with a key of
 * their own, so a feed gets a few of them per fetch, not thousands
 */
#define AB_REMOVEALL_MAX	64
/* the last conflicts, kept for show */
#define AB_CONFLICTS_KEPT	CTL_AB_CONFLICTS_MAX

enum ab_book {
	AB_LOCAL,
	AB_PRIVATE,
	AB_SUBSCRIBED,
	AB_NBOOKS
};

/* why a line was skipped: counted per reason */
enum ab_bad {
	AB_BAD_LONG,		/* over AB_LINE_MAX bytes */
	AB_BAD_CHAR,		/* NUL or another control byte */
	AB_BAD_SYNTAX,		/* no "name=dest" and no "#!" */
	AB_BAD_NAME,		/* characters or form (naming.html) */
	AB_BAD_NAME_LEN,	/* over AB_NAME_MAX */
	AB_BAD_TLD,		/* does not end in .i2p */
	AB_BAD_B32,		/* a .b32.i2p name or one that looks like it */
	AB_BAD_RESERVED,	/* proxy.i2p, router.i2p, ... */
	AB_BAD_DEST,		/* not base64 or not a valid Destination */
	AB_BAD_PROPS,		/* "#!" part: form, duplicate key, too many */
	AB_BAD_N
};

/* why a signed command was refused */
enum ab_refuse {
	AB_REF_UNSIGNED,	/* a command without sig */
	AB_REF_MISSING,		/* a key the action needs is missing or bad */
	AB_REF_ACTION,		/* an action we do not know */
	AB_REF_SIG,		/* sig does not verify */
	AB_REF_OLDSIG,		/* oldsig does not verify */
	AB_REF_MISMATCH,	/* the entry it changes is not as it says */
	AB_REF_LIMIT,		/* removeall beyond AB_REMOVEALL_MAX */
	AB_REF_N
};

enum ab_action {
	AB_ACT_ADD,		/* no action key: an add, signed or not */
	AB_ACT_ADDNAME,
	AB_ACT_ADDDEST,
	AB_ACT_ADDSUBDOMAIN,
	AB_ACT_CHANGENAME,
	AB_ACT_CHANGEDEST,
	AB_ACT_UPDATE,
	AB_ACT_REMOVE,
	AB_ACT_REMOVEALL
};

/* ---- addrbook_name.c ---- */

/* 0 if name (len bytes, lower case) may be in a book, else the reason */
int	 ab_name_check(const char *, size_t, enum ab_bad *);
/* the same after lower-casing into out (AB_NAME_MAX + 1 bytes) */
int	 ab_name_norm(const char *, size_t, char *, enum ab_bad *);
const char *ab_bad_str(enum ab_bad);
const char *ab_refuse_str(enum ab_refuse);
const char *ab_book_str(enum ab_book);
/* "local", "private", "subscribed" to the book; -1 if none */
int	 ab_book_parse(const char *, enum ab_book *);

/* ---- addrbook_line.c ---- */

struct ab_prop {
	const uint8_t	*key;
	size_t		 keylen;
	const uint8_t	*val;
	size_t		 vallen;
};

enum ab_kind {
	AB_LINE_NONE,		/* empty or a comment */
	AB_LINE_HOST,		/* name=dest, perhaps with "#!" keys */
	AB_LINE_CMD		/* "#!" keys alone (remove, removeall) */
};

/* one parsed line; the pointers point into the line's bytes */
struct ab_line {
	enum ab_kind	 kind;
	char		 name[AB_NAME_MAX + 1];	/* lower case */
	const uint8_t	*b64;			/* the dest as written */
	size_t		 b64len;
	struct i2p_ident dest;
	struct ab_prop	 prop[AB_PROPS_MAX];
	size_t		 nprop;
};

/*
 * The next line of a text: up to '\n' (consumed), without a '\r' before
 * it.  0 with the line, 1 at the end of the text, -1 if the line is
 * longer than AB_LINE_MAX (it is consumed all the same).
 */
int	 ab_next_line(struct rbuf *, const uint8_t **, size_t *);
/* 0 and the line, or -1 with the reason it is skipped */
int	 ab_line_parse(struct ab_line *, const uint8_t *, size_t,
	    enum ab_bad *);
/* the value of a key, NULL if absent */
const struct ab_prop *ab_prop_get(const struct ab_line *, const char *);

/* ---- addrbook_sig.c ---- */

/*
 * Checks a line with "#!" keys as subscription.rst says: its action,
 * the keys that action needs, oldsig (by olddest) and sig (by the
 * line's dest, or by dest= in a remove).  0 with the action, or -1 with
 * the reason.  old gets olddest or, for remove and removeall, dest=.
 */
int	 ab_cmd_verify(const struct ab_line *, enum ab_action *,
	    struct i2p_ident *old, enum ab_refuse *);
/* a key's value as a host name (lower case) or a Destination */
int	 ab_prop_name(const struct ab_line *, const char *,
	    char[AB_NAME_MAX + 1]);
int	 ab_prop_dest(const struct ab_line *, const char *,
	    struct i2p_ident *);
/* the bytes signed (outer: with oldsig; inner: without) into w */
int	 ab_sig_input(const struct ab_line *, int inner, struct wbuf *);

/* ---- addrbook_store.c ---- */

struct ab_ent {
	struct ab_ent	*next;
	uint8_t		 hash[I2P_HASH_LEN];	/* of the Destination */
	char		 name[AB_NAME_MAX + 1];
	uint16_t	 destlen;
	uint8_t		 dest[];		/* the Destination's bytes */
};

struct ab_table {
	struct ab_ent	**tab;
	size_t		  ntab;		/* a power of two, or 0 */
	size_t		  n;
	size_t		  max;
};

struct ab_conflict {
	char		 name[AB_NAME_MAX + 1];
	enum ab_book	 book;		/* where the name is known */
	uint8_t		 known[I2P_HASH_LEN];
	uint8_t		 offered[I2P_HASH_LEN];
	time_t		 when;
};

struct addrbook {
	struct ab_table	 book[AB_NBOOKS];
	uint8_t		 key[SIPHASH_KEY_LEN];	/* against crafted names */
	struct ab_conflict conflict[AB_CONFLICTS_KEPT];
	size_t		 nconflict;		/* kept, <= AB_CONFLICTS_KEPT */
	size_t		 conflict_next;		/* ring position */
	uint64_t	 conflicts;		/* since start */
	int		 dirty[AB_NBOOKS];	/* changed since saved */
};

enum ab_put {
	AB_PUT_ADDED,
	AB_PUT_KNOWN,		/* already there with this Destination */
	AB_PUT_CONFLICT,	/* known with another one: left as it was */
	AB_PUT_REPLACED,	/* AB_REPLACE given: the new one is in */
	AB_PUT_FULL,		/* the book holds its maximum */
	AB_PUT_ERROR		/* out of memory */
};

#define AB_REPLACE	0x1	/* a local add that may replace */

void	 ab_init(struct addrbook *);
void	 ab_free(struct addrbook *);
/* lower case name in one book */
const struct ab_ent *ab_get(const struct addrbook *, enum ab_book,
	    const char *);
/* any case, books in order; book (may be NULL) says where */
const struct ab_ent *ab_lookup(const struct addrbook *, const char *,
	    enum ab_book *);
/* the first name for a Destination hash, books in order (a scan) */
const struct ab_ent *ab_reverse(const struct addrbook *,
	    const uint8_t[I2P_HASH_LEN], enum ab_book *);
/*
 * First-come wins: into the subscribed book a name is new only if
 * neither the local nor the subscribed book knows it (naming.html: not
 * checked against the private book); a conflict is recorded.  Local
 * and private adds check their own book and replace with AB_REPLACE.
 */
enum ab_put ab_put(struct addrbook *, enum ab_book, const char *,
	    const struct i2p_ident *, int);
/* 0 if the name was there and is gone */
int	 ab_del(struct addrbook *, enum ab_book, const char *);
/* removes every entry of a Destination from a book; how many */
size_t	 ab_del_dest(struct addrbook *, enum ab_book,
	    const uint8_t[I2P_HASH_LEN]);
size_t	 ab_count(const struct addrbook *, enum ab_book);
/* the entries of a book sorted by name (free the array); NULL if none */
const struct ab_ent **ab_sorted(const struct addrbook *, enum ab_book,
	    size_t *);
/* the conflicts kept, oldest first: i < nconflict */
const struct ab_conflict *ab_conflict_at(const struct addrbook *, size_t);

/* ---- addrbook_feed.c ---- */

struct ab_counts {
	uint32_t	 lines;
	uint32_t	 added;
	uint32_t	 known;
	uint32_t	 conflicts;
	uint32_t	 full;
	uint32_t	 removed;
	uint32_t	 bad[AB_BAD_N];
	uint32_t	 applied;		/* verified commands */
	uint32_t	 refused[AB_REF_N];
	uint32_t	 removealls;		/* applied, for the limit */
};

/* applies hosts.txt text to a book; counts are added to c */
void	 ab_apply(struct addrbook *, enum ab_book, const void *, size_t,
	    struct ab_counts *);
uint32_t ab_counts_bad(const struct ab_counts *);
uint32_t ab_counts_refused(const struct ab_counts *);

/* ---- addrbook_file.c ---- */

#define AB_FILE_MAX	(64 * 1024 * 1024)	/* a book file, bytes */

/* a whole file of at most max bytes; *buf NULL (and 0) if absent */
int	 ab_slurp(const char *, size_t, uint8_t **, size_t *, char *, size_t);
/* the file of a book, relative to tunneld's directory */
const char *ab_book_file(enum ab_book);
/* a book in hosts.txt form (names sorted) */
int	 ab_encode(const struct addrbook *, enum ab_book, struct wbuf *);
/* 0 and what the file held (bad lines counted), -1 if it cannot be read */
int	 ab_load(struct addrbook *, enum ab_book, const char *,
	    struct ab_counts *, char *, size_t);
int	 ab_save(const struct addrbook *, enum ab_book, const char *);
/* every book from and to dir: the book files */
int	 ab_load_all(struct addrbook *, const char *dir, char *, size_t);
int	 ab_save_dirty(struct addrbook *, const char *dir);

/* ---- addrbook_sub.c ---- */

#define AB_ETAG_MAX	256
#define AB_LASTMOD_MAX	64
#define AB_SUB_FILE_MAX	4096

/* a subscription's state, one small file each */
struct ab_sub {
	char		 url[SUB_URL_MAX + 1];
	char		 etag[AB_ETAG_MAX + 1];
	char		 lastmod[AB_LASTMOD_MAX + 1];
	int64_t		 fetched;	/* last fetch, seconds since epoch */
	int		 status;	/* of the last fetch: 200, 304, ... */
	uint32_t	 added;		/* by the last applied fetch */
	uint32_t	 conflicts;
	uint32_t	 bad;
	uint32_t	 applied;
	uint32_t	 refused;
};

/* url: as sub_url_check takes it; 0 or -1 with why */
int	 ab_sub_init(struct ab_sub *, const char *, const char **);
/*
 * The GET request to the HTTP proxy, with If-None-Match and
 * If-Modified-Since if known, and the proxy's Basic credentials (the
 * base64 of "user:password") if auth is not NULL; its length or -1.
 */
int	 ab_sub_request(const struct ab_sub *, const char *auth, char *,
	    size_t);
/*
 * What a fetch answered: the status, its ETag and Last-Modified header
 * values (NULL if absent; values that do not fit or hold control bytes
 * are dropped) and, for a 200, the counts of applying its body.
 */
void	 ab_sub_answered(struct ab_sub *, int, const char *, const char *,
	    time_t, const struct ab_counts *);
/* what a fetch's answer (head and body, whole) says */
struct ab_answer {
	int		 status;
	char		 etag[AB_ETAG_MAX + 1];		/* "": none, or unusable */
	char		 lastmod[AB_LASTMOD_MAX + 1];
	size_t		 body_off, body_len;
};
/*
 * The whole answer to ab_sub_request, up to the connection's end: 0,
 * or -1 with why (no complete head, a malformed one, a body shorter
 * than its Content-Length, a chunked body).
 */
int	 ab_answer_parse(const uint8_t *, size_t, struct ab_answer *,
	    const char **);
/* "sub-<16 hex of SHA-256(url)>.txt": the state file's name */
int	 ab_sub_file(const struct ab_sub *, char *, size_t);
int	 ab_sub_encode(const struct ab_sub *, struct wbuf *);
int	 ab_sub_decode(struct ab_sub *, const uint8_t *, size_t,
	    const char **);
int	 ab_sub_save(const struct ab_sub *, const char *dir);
/* 0 and the state, 1 if there is no file yet, -1 on error */
int	 ab_sub_load(struct ab_sub *, const char *dir, const char *url,
	    char *, size_t);

/* ---- addrbook_main.c ---- */

#define AB_DIR		"."	/* tunneld's directory, <state>/client */

/* reads the books; a file that cannot be read stops tunneld */
void	 addrbook_start(void);
struct addrbook *addrbook(void);
/* a name's Destination bytes (at most max); -1 if no book has it */
int	 addrbook_resolve(const char *, uint8_t *, size_t, size_t *);
/* writes the books that changed; -1 if one could not be written */
int	 addrbook_save(struct addrbook *);
/*
 * For the subscription fetcher, with a fetch's answer: a 200's body is
 * applied to the subscribed book (c gets the counts), the validators
 * and counts are kept in s, the book and s's state file written.  0,
 * or -1 if a file could not be written (logged).
 */
int	 addrbook_fetched(struct ab_sub *, int status, const char *etag,
	    const char *lastmod, const void *, size_t, time_t,
	    struct ab_counts *);
/*
 * The same once a 200's body was applied already (in slices, with
 * ab_apply on addrbook()): c holds what applying it counted.
 */
int	 addrbook_recorded(struct ab_sub *, int status, const char *etag,
	    const char *lastmod, time_t, const struct ab_counts *);

/* ---- addrbook_fetch.c ---- */

/*
 * The subscriptions and the HTTP proxy tunnel they are fetched through
 * (the one of ac->proxy's destination, or the first): state kept for
 * URLs that stay, read from its file for new ones.
 */
void	 addrbook_fetch_reconf(const struct addrbook_conf *,
	    const struct proxy_conf *, int);
/* once a second: a fetch that is due starts, one at a time */
void	 addrbook_fetch_tick(time_t);
/* every subscription is due now: how many; -1 if there is no proxy */
int	 addrbook_fetch_now(void);
/* an AB_SUB per subscription */
void	 addrbook_fetch_rows(void (*)(void *, uint32_t, const void *,
	    size_t), void *);
void	 addrbook_fetch_counts(uint64_t *fetches, uint64_t *failed,
	    uint32_t *subscriptions);

/* ---- addrbook_ctl.c ---- */

typedef void (*ab_emit_fn)(void *, uint32_t type, const void *, size_t);
/* add and del change the local or private book, then save it */
void	 addrbook_ctl_add(struct addrbook *, const struct ctl_ab_req *,
	    struct ctl_result *);
void	 addrbook_ctl_del(struct addrbook *, const struct ctl_ab_req *,
	    struct ctl_result *);
/* an AB_ENTRY if a book has the name */
void	 addrbook_ctl_lookup(const struct addrbook *,
	    const struct ctl_ab_req *, ab_emit_fn, void *);
/* AB_ENTRYs, AB_CONFLICTs and the AB counts; the caller sends END */
void	 addrbook_ctl_show(const struct addrbook *, const struct ctl_ab_req *,
	    ab_emit_fn, void *);
/* one request, its whole answer: a RESULT, or rows and END */
void	 addrbook_ctl_dispatch(struct addrbook *, uint32_t, const void *,
	    size_t, ab_emit_fn, void *);

#endif /* I2PRD_TUNNELD_ADDRBOOK_H */
