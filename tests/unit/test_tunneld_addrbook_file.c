/*
 * The address book on disk and its subscriptions
 * (tunneld/addrbook_file.c, addrbook_sub.c): books saved and read back
 * hold the same names and write the same bytes, a shadowed subscribed
 * name survives a restart, a hand-edited file is held to the feed's
 * rules; a subscription's conditional GET, what it keeps of an answer,
 * and its state file, good and malformed.
 */
#include <sys/stat.h>

#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abtest.h"
#include "file.h"
#include "unit.h"

static struct addrbook	ab;
static struct abkey	ka, kb;
static char		dir[] = "/tmp/abtestXXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ab_init(&ab);
	abkey_new(&ka, SIGTYPE_ED25519);
	abkey_new(&kb, SIGTYPE_ECDSA_P256);
}

static void
rm(const char *name)
{
	char	path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void
teardown(void)
{
	int	b;

	for (b = 0; b < AB_NBOOKS; b++)
		rm(ab_book_file(b));
	ck_assert_int_eq(rmdir(dir), 0);
	strcpy(dir, "/tmp/abtestXXXXXX");
	ab_free(&ab);
	tkey_free(&ka.k);
	tkey_free(&kb.k);
}

static void
encode(const struct addrbook *a, enum ab_book b, struct wbuf *w)
{
	ck_assert_int_eq(wbuf_init_dynamic(w, 64, AB_FILE_MAX), 0);
	ck_assert_int_eq(ab_encode(a, b, w), 0);
}

START_TEST(test_roundtrip)
{
	struct addrbook		 again;
	struct wbuf		 w1, w2;
	char			 err[256], name[32];
	const struct ab_ent	*e;
	enum ab_book		 where;
	int			 b, i;

	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "s%d.i2p", i);
		ck_assert_int_eq(ab_put(&ab, AB_SUBSCRIBED, name,
		    i % 2 ? &ka.id : &kb.id, 0), AB_PUT_ADDED);
	}
	/* a local name shadowing a subscribed one must survive too */
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "s1.i2p", &kb.id, 0),
	    AB_PUT_ADDED);
	ck_assert_int_eq(ab_put(&ab, AB_PRIVATE, "pet.i2p", &ka.id, 0),
	    AB_PUT_ADDED);
	ck_assert_int_eq(ab_save_dirty(&ab, dir), 0);
	for (b = 0; b < AB_NBOOKS; b++)
		ck_assert_int_eq(ab.dirty[b], 0);
	ab_init(&again);
	ck_assert_int_eq(ab_load_all(&again, dir, err, sizeof(err)), 0);
	for (b = 0; b < AB_NBOOKS; b++) {
		ck_assert_uint_eq(ab_count(&again, b), ab_count(&ab, b));
		encode(&ab, b, &w1);
		encode(&again, b, &w2);
		ck_assert_uint_eq(wbuf_len(&w1), wbuf_len(&w2));
		ck_assert(memcmp(wbuf_data(&w1), wbuf_data(&w2),
		    wbuf_len(&w1)) == 0);
		wbuf_free(&w1);
		wbuf_free(&w2);
	}
	ck_assert_ptr_nonnull(e = ab_lookup(&again, "s1.i2p", &where));
	ck_assert_int_eq(where, AB_LOCAL);
	ck_assert(memcmp(e->hash, kb.id.hash, 32) == 0);
	ck_assert_ptr_nonnull(e = ab_get(&again, AB_SUBSCRIBED, "s1.i2p"));
	ck_assert(memcmp(e->hash, ka.id.hash, 32) == 0);
	ck_assert_uint_eq(again.nconflict, 0);
	ab_free(&again);
}
END_TEST

static void
write_file(const char *name, const char *text)
{
	char	path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(file_write_atomic(path, text, strlen(text), 0600, 0),
	    0);
}

START_TEST(test_hand_edited)
{
	char	text[4096], err[256];

	/* absent files are empty books */
	ck_assert_int_eq(ab_load_all(&ab, dir, err, sizeof(err)), 0);
	ck_assert_uint_eq(ab_count(&ab, AB_LOCAL), 0);
	snprintf(text, sizeof(text), "# mine\r\nMine.i2p=%s\r\nproxy.i2p=%s\n"
	    "b..i2p=%s\ngarbage\n", ka.b64, ka.b64, ka.b64);
	write_file("local.txt", text);
	ck_assert_int_eq(ab_load_all(&ab, dir, err, sizeof(err)), 0);
	ck_assert_uint_eq(ab_count(&ab, AB_LOCAL), 1);
	ck_assert_ptr_nonnull(ab_get(&ab, AB_LOCAL, "mine.i2p"));
	/* a directory where a book should be */
	rm("local.txt");
	snprintf(text, sizeof(text), "%s/local.txt", dir);
	ck_assert_int_eq(mkdir(text, 0700), 0);
	ck_assert_int_eq(ab_load_all(&ab, dir, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "local.txt"));
	ck_assert_int_eq(rmdir(text), 0);
}
END_TEST

START_TEST(test_sub_url)
{
	struct ab_sub	 s;
	const char	*why;

	ck_assert_int_eq(ab_sub_init(&s, "http://i2p-projekt.i2p/hosts.txt",
	    &why), 0);
	ck_assert_int_eq(ab_sub_init(&s, "http://stats.i2p:8080/cgi-bin/"
	    "newhosts.txt", &why), 0);
	ck_assert_int_eq(ab_sub_init(&s, "http://notbob.i2p", &why), 0);
	ck_assert_int_eq(ab_sub_init(&s, "https://stats.i2p/h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://example.com/h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://1.2.3.4/h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://a.i2p:0/h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://a.i2p:99999/h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://a.i2p:80x/h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://a.i2p/h\r\nX: y", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://a.i2p/h x", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http:///h", &why), -1);
	ck_assert_int_eq(ab_sub_init(&s, "http://.i2p/h", &why), -1);
}
END_TEST

START_TEST(test_sub_request)
{
	struct ab_sub		 s;
	struct ab_counts	 c;
	const char		*why;
	char			 req[2048];

	ck_assert_int_eq(ab_sub_init(&s, "http://stats.i2p:81/cgi-bin/"
	    "newhosts.txt", &why), 0);
	ck_assert_int_gt(ab_sub_request(&s, NULL, req, sizeof(req)), 0);
	ck_assert_str_eq(req, "GET http://stats.i2p:81/cgi-bin/newhosts.txt "
	    "HTTP/1.0\r\nHost: stats.i2p:81\r\nUser-Agent: MYOB/6.66 (AN/ON)"
	    "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n");
	ck_assert_int_gt(ab_sub_request(&s, "dTpw", req, sizeof(req)), 0);
	ck_assert_ptr_nonnull(strstr(req, "\r\nProxy-Authorization: Basic "
	    "dTpw\r\nConnection: close\r\n\r\n"));
	memset(&c, 0, sizeof(c));
	c.added = 7;
	c.conflicts = 2;
	c.bad[AB_BAD_DEST] = 3;
	c.bad[AB_BAD_NAME] = 1;
	c.applied = 4;
	c.refused[AB_REF_SIG] = 5;
	ab_sub_answered(&s, 200, "\"abc 1\"", "Mon, 07 Dec 2026 10:00:00 GMT",
	    1000, &c);
	ck_assert_int_gt(ab_sub_request(&s, NULL, req, sizeof(req)), 0);
	ck_assert_ptr_nonnull(strstr(req, "\r\nIf-None-Match: \"abc 1\"\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "\r\nIf-Modified-Since: Mon, 07 Dec "
	    "2026 10:00:00 GMT\r\n"));
	ck_assert(s.added == 7 && s.conflicts == 2 && s.bad == 4 &&
	    s.applied == 4 && s.refused == 5 && s.fetched == 1000);
	/* 304 keeps them; an error too; a 200 without them drops them */
	ab_sub_answered(&s, 304, NULL, NULL, 2000, NULL);
	ck_assert_str_eq(s.etag, "\"abc 1\"");
	ck_assert_int_eq(s.status, 304);
	ck_assert_int_eq(s.added, 7);
	ab_sub_answered(&s, 500, NULL, NULL, 3000, NULL);
	ck_assert_str_eq(s.etag, "\"abc 1\"");
	ab_sub_answered(&s, 200, NULL, "x\r\nEvil: 1", 4000, &c);
	ck_assert_str_eq(s.etag, "");
	ck_assert_str_eq(s.lastmod, "");
	ck_assert_int_gt(ab_sub_request(&s, NULL, req, sizeof(req)), 0);
	ck_assert_ptr_null(strstr(req, "If-"));
	ck_assert_int_eq(ab_sub_request(&s, NULL, req, 40), -1);
}
END_TEST

static int
parse_answer(const char *text, struct ab_answer *a, const char **why)
{
	return ab_answer_parse((const uint8_t *)text, strlen(text), a, why);
}

START_TEST(test_sub_answer)
{
	struct ab_answer	 a;
	const char		*why;
	const char		*bad[] = {
		"",
		"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n",
		"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "3\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2"
		    "\r\n\r\nab",
		"HTTP/2 200\r\n\r\n",
		"garbage\r\n\r\n",
		"HTTP/1.0 20 OK\r\n\r\n",
	};
	size_t			 i;

	ck_assert_int_eq(parse_answer("HTTP/1.0 200 OK\r\nETag: \"v1\"\r\n"
	    "Last-Modified: Mon, 07 Dec 2026 10:00:00 GMT\r\n"
	    "Content-Length: 3\r\n\r\nabcdef", &a, &why), 0);
	ck_assert_int_eq(a.status, 200);
	ck_assert_str_eq(a.etag, "\"v1\"");
	ck_assert_str_eq(a.lastmod, "Mon, 07 Dec 2026 10:00:00 GMT");
	ck_assert(a.body_len == 3 && a.body_off == strlen("HTTP/1.0 200 OK"
	    "\r\nETag: \"v1\"\r\nLast-Modified: Mon, 07 Dec 2026 10:00:00 "
	    "GMT\r\nContent-Length: 3\r\n\r\n"));
	/* no length: up to the end; a 304 has no body */
	ck_assert_int_eq(parse_answer("HTTP/1.0 200 OK\r\n\r\na=b\n", &a, &why),
	    0);
	ck_assert(a.body_len == 4 && a.etag[0] == '\0');
	ck_assert_int_eq(parse_answer("HTTP/1.1 304 Not Modified\r\nETag: x\r\n"
	    "\r\n", &a, &why), 0);
	ck_assert(a.status == 304 && a.body_len == 0);
	/* the proxy's error page: its status, nothing applied */
	ck_assert_int_eq(parse_answer("HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Length: 2\r\n\r\nno", &a, &why), 0);
	ck_assert_int_eq(a.status, 503);
	/* a validator with a control byte is dropped, not kept */
	ck_assert_int_eq(parse_answer("HTTP/1.0 200 OK\r\nETag: a\tb\r\n\r\n",
	    &a, &why), 0);
	ck_assert_str_eq(a.etag, "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_answer(bad[i], &a, &why) == -1, "%zu", i);
}
END_TEST

static int
decode(struct ab_sub *s, const char *text, const char **why)
{
	return ab_sub_decode(s, (const uint8_t *)text, strlen(text), why);
}

START_TEST(test_sub_state)
{
	struct ab_sub	 s, t;
	struct wbuf	 w;
	uint8_t		 buf[AB_SUB_FILE_MAX];
	char		 err[256], name[64];
	const char	*why;
	const char	*bad[] = {
		"",
		"etag x\n",
		"url http://a.i2p/\nurl http://a.i2p/\n",
		"url http://a.i2p/\nfoo 1\n",
		"url http://a.i2p/\nfetched -1\n",
		"url http://a.i2p/\nfetched 1x\n",
		"url http://a.i2p/\nadded 4294967296\n",
		"url http://a.i2p/\nstatus 1000\n",
		"url http://a.i2p/\netag\n",
		"url http://a.i2p/\netag \n",
		"url http://a.i2p/\netag a\tb\n",
		"url http://example.com/\n",
		"url http://a.i2p/\x01\n",
	};
	size_t		 i;

	ck_assert_int_eq(ab_sub_init(&s, "http://a.i2p/hosts.txt", &why), 0);
	ck_assert_int_eq(ab_sub_load(&t, dir, s.url, err, sizeof(err)), 1);
	strlcpy(s.etag, "W/\"x y\"", sizeof(s.etag));
	strlcpy(s.lastmod, "Sun, 06 Dec 2026 00:00:00 GMT",
	    sizeof(s.lastmod));
	s.fetched = 1765000000;
	s.status = 200;
	s.added = 4294967295u;
	s.refused = 3;
	ck_assert_int_eq(ab_sub_save(&s, dir), 0);
	ck_assert_int_eq(ab_sub_load(&t, dir, s.url, err, sizeof(err)), 0);
	ck_assert(memcmp(&s, &t, sizeof(s)) == 0);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ab_sub_encode(&s, &w), 0);
	ck_assert_int_eq(ab_sub_decode(&t, wbuf_data(&w), wbuf_len(&w), &why),
	    0);
	ck_assert(memcmp(&s, &t, sizeof(s)) == 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(decode(&t, bad[i], &why) == -1, "%s", bad[i]);
	ck_assert_int_eq(decode(&t, "url http://a.i2p/\r\nbad 0\r\n", &why),
	    0);
	/* a state file holding another URL is not taken */
	ck_assert_int_eq(ab_sub_file(&s, name, sizeof(name)), 0);
	ck_assert_int_eq(strncmp(name, "sub-", 4), 0);
	ck_assert_uint_eq(strlen(name), 4 + 16 + 4);
	write_file(name, "url http://b.i2p/\n");
	ck_assert_int_eq(ab_sub_load(&t, dir, s.url, err, sizeof(err)), -1);
	ck_assert_str_eq(t.url, s.url);
	ck_assert_str_eq(t.etag, "");
	rm(name);
}
END_TEST

/* tunneld's book: read at start from its directory, written on change */
START_TEST(test_tunneld_book)
{
	char		 text[1024], cwd[1024];
	uint8_t		 d[I2P_IDENT_MAXLEN];
	size_t		 len;
	struct addrbook	 again;

	snprintf(text, sizeof(text), "mine.i2p=%s\n", ka.b64);
	write_file("local.txt", text);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	addrbook_start();
	ck_assert_int_eq(addrbook_resolve("MINE.i2p", d, sizeof(d), &len), 0);
	ck_assert_uint_eq(len, ka.id.rawlen);
	ck_assert(memcmp(d, ka.id.raw, len) == 0);
	ck_assert_int_eq(addrbook_resolve("mine.i2p", d, len - 1, &len), -1);
	ck_assert_int_eq(addrbook_resolve("other.i2p", d, sizeof(d), &len),
	    -1);
	ck_assert_int_eq(ab_put(addrbook(), AB_PRIVATE, "pet.i2p", &kb.id, 0),
	    AB_PUT_ADDED);
	ck_assert_int_eq(addrbook_save(addrbook()), 0);
	ab_init(&again);
	ck_assert_int_eq(ab_load_all(&again, ".", text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(ab_get(&again, AB_PRIVATE, "pet.i2p"));
	ck_assert_ptr_nonnull(ab_get(&again, AB_LOCAL, "mine.i2p"));
	ab_free(&again);
	ab_free(addrbook());
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

/* a subscription's answer, as the fetcher hands it over */
START_TEST(test_fetched)
{
	struct ab_sub		 s, t;
	struct ab_counts	 c;
	struct addrbook		 again;
	char			 body[2048], cwd[1024], err[256], name[64];
	const char		*why;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	addrbook_start();
	ck_assert_int_eq(ab_sub_init(&s, "http://notbob.i2p/hosts.txt", &why),
	    0);
	snprintf(body, sizeof(body), "feed.i2p=%s\nproxy.i2p=%s\n", ka.b64,
	    kb.b64);
	ck_assert_int_eq(addrbook_fetched(&s, 200, "\"e1\"", NULL, body,
	    strlen(body), 5000, &c), 0);
	ck_assert_uint_eq(c.added, 1);
	ck_assert_uint_eq(c.bad[AB_BAD_RESERVED], 1);
	ck_assert_ptr_nonnull(ab_get(addrbook(), AB_SUBSCRIBED, "feed.i2p"));
	/* 304: nothing applied, the ETag and the last counts kept */
	ck_assert_int_eq(addrbook_fetched(&s, 304, NULL, NULL, "x=y", 3, 6000,
	    &c), 0);
	ck_assert_uint_eq(c.lines, 0);
	ck_assert_int_eq(ab_sub_load(&t, ".", s.url, err, sizeof(err)), 0);
	ck_assert_str_eq(t.etag, "\"e1\"");
	ck_assert_int_eq(t.status, 304);
	ck_assert_int_eq(t.fetched, 6000);
	ck_assert_uint_eq(t.added, 1);
	ck_assert_uint_eq(t.bad, 1);
	ab_init(&again);
	ck_assert_int_eq(ab_load_all(&again, ".", err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(ab_get(&again, AB_SUBSCRIBED, "feed.i2p"));
	ab_free(&again);
	ab_free(addrbook());
	ck_assert_int_eq(ab_sub_file(&s, name, sizeof(name)), 0);
	ck_assert_int_eq(unlink(name), 0);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

/* ---- i2pctl addressbook, as tunneld answers it ---- */

static uint32_t	 etypes[16];
static uint8_t	 edata[16][sizeof(struct ctl_ab_entry) + 64];
static size_t	 nemit;

static void
emit(void *arg, uint32_t type, const void *data, size_t len)
{
	ck_assert_uint_lt(nemit, 16);
	ck_assert_uint_le(len, sizeof(edata[0]));
	etypes[nemit] = type;
	if (len > 0)
		memcpy(edata[nemit], data, len);
	nemit++;
}

static void
ask(uint32_t type, const char *name, int book, const struct abkey *k,
    int replace)
{
	struct ctl_ab_req	q;

	memset(&q, 0, sizeof(q));
	strlcpy(q.name, name, sizeof(q.name));
	q.book = book;
	q.replace = replace;
	if (k != NULL) {
		q.destlen = k->id.rawlen;
		memcpy(q.dest, k->id.raw, k->id.rawlen);
	}
	nemit = 0;
	addrbook_ctl_dispatch(&ab, type, &q, sizeof(q), emit, NULL);
}

/* the one RESULT an add or del answers */
static const struct ctl_result *
answer(void)
{
	ck_assert_uint_eq(nemit, 1);
	ck_assert_uint_eq(etypes[0], IMSG_CTL_RESULT);
	return (const struct ctl_result *)(void *)edata[0];
}

START_TEST(test_ctl_edit)
{
	struct addrbook		 again;
	char			 cwd[1024], err[256];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	ask(IMSG_CTL_AB_ADD, "Web.i2p", AB_LOCAL, &ka, 0);
	ck_assert_int_eq(answer()->code, 0);
	ck_assert_str_eq(answer()->msg, "web.i2p: added");
	ask(IMSG_CTL_AB_ADD, "web.i2p", AB_LOCAL, &kb, 0);
	ck_assert_int_eq(answer()->code, 1);
	ck_assert_ptr_nonnull(strstr(answer()->msg, "replace"));
	ask(IMSG_CTL_AB_ADD, "web.i2p", AB_LOCAL, &kb, 1);
	ck_assert_int_eq(answer()->code, 0);
	ck_assert_str_eq(answer()->msg, "web.i2p: replaced");
	ask(IMSG_CTL_AB_ADD, "pet.i2p", AB_PRIVATE, &ka, 0);
	ck_assert_int_eq(answer()->code, 0);
	/* refused: bad names, the subscribed book, no Destination */
	ask(IMSG_CTL_AB_ADD, "proxy.i2p", AB_LOCAL, &ka, 0);
	ck_assert_str_eq(answer()->msg, "reserved name");
	ask(IMSG_CTL_AB_ADD, "x.i2p", AB_SUBSCRIBED, &ka, 0);
	ck_assert_int_eq(answer()->code, 1);
	ask(IMSG_CTL_AB_ADD, "x.i2p", 7, &ka, 0);
	ck_assert_int_eq(answer()->code, 1);
	ask(IMSG_CTL_AB_ADD, "x.i2p", AB_LOCAL, NULL, 0);
	ck_assert_str_eq(answer()->msg, "x.i2p: not a Destination");
	/* on disk before the answer */
	ab_init(&again);
	ck_assert_int_eq(ab_load_all(&again, ".", err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(ab_get(&again, AB_LOCAL, "web.i2p"));
	ck_assert(memcmp(ab_get(&again, AB_LOCAL, "web.i2p")->hash,
	    kb.id.hash, 32) == 0);
	ck_assert_ptr_nonnull(ab_get(&again, AB_PRIVATE, "pet.i2p"));
	ab_free(&again);
	ask(IMSG_CTL_AB_DEL, "pet.i2p", AB_LOCAL, NULL, 0);
	ck_assert_str_eq(answer()->msg, "pet.i2p: not in that book");
	ask(IMSG_CTL_AB_DEL, "pet.i2p", AB_PRIVATE, NULL, 0);
	ck_assert_str_eq(answer()->msg, "pet.i2p: deleted");
	ab_init(&again);
	ck_assert_int_eq(ab_load_all(&again, ".", err, sizeof(err)), 0);
	ck_assert_uint_eq(ab_count(&again, AB_PRIVATE), 0);
	ab_free(&again);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_ctl_show)
{
	const struct ctl_ab_entry	*e;
	const struct ctl_ab		*sum;
	const struct ctl_ab_conflict	*c;

	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "b.i2p", &ka.id, 0),
	    AB_PUT_ADDED);
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "a.i2p", &kb.id, 0),
	    AB_PUT_ADDED);
	ck_assert_int_eq(ab_put(&ab, AB_SUBSCRIBED, "s.i2p", &kb.id, 0),
	    AB_PUT_ADDED);
	ck_assert_int_eq(ab_put(&ab, AB_SUBSCRIBED, "a.i2p", &ka.id, 0),
	    AB_PUT_CONFLICT);
	ask(IMSG_CTL_AB_LOOKUP, "A.I2P", 0, NULL, 0);
	ck_assert_uint_eq(nemit, 2);
	ck_assert_uint_eq(etypes[0], IMSG_CTL_AB_ENTRY);
	e = (const struct ctl_ab_entry *)(void *)edata[0];
	ck_assert_str_eq(e->name, "a.i2p");
	ck_assert_int_eq(e->book, AB_LOCAL);
	ck_assert(e->destlen == kb.id.rawlen &&
	    memcmp(e->dest, kb.id.raw, e->destlen) == 0);
	ck_assert_uint_eq(etypes[1], IMSG_CTL_END);
	ask(IMSG_CTL_AB_LOOKUP, "nope.i2p", 0, NULL, 0);
	ck_assert_uint_eq(nemit, 1);
	ck_assert_uint_eq(etypes[0], IMSG_CTL_END);
	/* every book: sorted rows, the conflict, the counts, END */
	ask(IMSG_CTL_SHOW_AB, "", CTL_AB_ALL, NULL, 0);
	ck_assert_uint_eq(nemit, 6);
	ck_assert_str_eq(((struct ctl_ab_entry *)(void *)edata[0])->name,
	    "a.i2p");
	ck_assert_str_eq(((struct ctl_ab_entry *)(void *)edata[1])->name,
	    "b.i2p");
	ck_assert_str_eq(((struct ctl_ab_entry *)(void *)edata[2])->name,
	    "s.i2p");
	ck_assert_uint_eq(etypes[3], IMSG_CTL_AB_CONFLICT);
	c = (const struct ctl_ab_conflict *)(void *)edata[3];
	ck_assert_str_eq(c->name, "a.i2p");
	ck_assert(memcmp(c->offered, ka.id.hash, 32) == 0);
	ck_assert_uint_eq(etypes[4], IMSG_CTL_AB);
	sum = (const struct ctl_ab *)(void *)edata[4];
	ck_assert(sum->count[0] == 2 && sum->count[1] == 0 &&
	    sum->count[2] == 1 && sum->shown == 3 && sum->conflicts == 1);
	ck_assert_uint_eq(etypes[5], IMSG_CTL_END);
	/* one book */
	ask(IMSG_CTL_SHOW_AB, "", AB_SUBSCRIBED, NULL, 0);
	ck_assert_uint_eq(nemit, 4);
	ck_assert_str_eq(((struct ctl_ab_entry *)(void *)edata[0])->name,
	    "s.i2p");
	/* the counts alone, for show metrics */
	ask(IMSG_CTL_SHOW_AB, "", CTL_AB_COUNTS, NULL, 0);
	ck_assert_uint_eq(nemit, 2);
	ck_assert_uint_eq(etypes[0], IMSG_CTL_AB);
	ck_assert_uint_eq(((struct ctl_ab *)(void *)edata[0])->count[0], 2);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_addrbook_file");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_hand_edited);
	tcase_add_test(tc, test_sub_url);
	tcase_add_test(tc, test_sub_request);
	tcase_add_test(tc, test_sub_state);
	tcase_add_test(tc, test_sub_answer);
	tcase_add_test(tc, test_tunneld_book);
	tcase_add_test(tc, test_fetched);
	tcase_add_test(tc, test_ctl_edit);
	tcase_add_test(tc, test_ctl_show);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
