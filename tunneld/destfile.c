/*
 * The destination name map and its file (see tunneld.h).  The file is
 * local input, but it is parsed as strictly as wire data, through the
 * buffer reader: every line exactly "NAME KEYID\n", names as the
 * configuration allows them, no duplicate names or key ids.  A bad file
 * stops tunneld at start with the line and the reason, rather than
 * giving a name a new key (and its destination a new address) silently.
 */
#include <sys/stat.h>

#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "tunneld.h"

void
destmap_init(struct destmap *m)
{
	memset(m, 0, sizeof(*m));
}

const struct destmap_ent *
destmap_by_name(const struct destmap *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->ent[i].name, name) == 0)
			return &m->ent[i];
	return NULL;
}

const struct destmap_ent *
destmap_by_id(const struct destmap *m, uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (m->ent[i].keyid == keyid)
			return &m->ent[i];
	return NULL;
}

static int
destmap_check(const char *name, uint32_t keyid, const char **why)
{
	*why = "bad name";
	if (!dest_name_ok(name))
		return -1;
	*why = "key id 0 is the router's";
	if (keyid == KEYID_ROUTER)
		return -1;
	return 0;
}

int
destmap_add(struct destmap *m, const char *name, uint32_t keyid,
    const char **why)
{
	if (destmap_check(name, keyid, why) == -1)
		return -1;
	*why = "duplicate name";
	if (destmap_by_name(m, name) != NULL)
		return -1;
	*why = "duplicate key id";
	if (destmap_by_id(m, keyid) != NULL)
		return -1;
	*why = "too many names";
	if (m->n == DESTMAP_MAX)
		return -1;
	strlcpy(m->ent[m->n].name, name, sizeof(m->ent[m->n].name));
	m->ent[m->n].keyid = keyid;
	m->n++;
	return 0;
}

int
destmap_set(struct destmap *m, const char *name, uint32_t keyid,
    const char **why)
{
	const struct destmap_ent	*e, *other;

	if ((e = destmap_by_name(m, name)) == NULL)
		return destmap_add(m, name, keyid, why);
	if (destmap_check(name, keyid, why) == -1)
		return -1;
	*why = "duplicate key id";
	if ((other = destmap_by_id(m, keyid)) != NULL && other != e)
		return -1;
	m->ent[e - m->ent].keyid = keyid;
	return 0;
}

/* order is kept: the file lists names as they were first seen */
void
destmap_del_id(struct destmap *m, uint32_t keyid)
{
	const struct destmap_ent	*e;
	size_t				 i;

	if ((e = destmap_by_id(m, keyid)) == NULL)
		return;
	i = e - m->ent;
	memmove(&m->ent[i], &m->ent[i + 1], (m->n - i - 1) * sizeof(m->ent[0]));
	m->n--;
	memset(&m->ent[m->n], 0, sizeof(m->ent[0]));
}

/* the next '\n'-ended line, NUL-terminated, without the newline */
static int
get_line(struct rbuf *r, char line[DESTFILE_LINE_MAX + 1], const char **why)
{
	uint8_t	c;
	size_t	n = 0;

	for (;;) {
		*why = "truncated (no newline at the end)";
		if (rbuf_get_u8(r, &c) == -1)
			return -1;
		if (c == '\n')
			break;
		*why = "NUL byte";
		if (c == '\0')
			return -1;
		*why = "line too long";
		if (n == DESTFILE_LINE_MAX)
			return -1;
		line[n++] = c;
	}
	line[n] = '\0';
	return 0;
}

/* "NAME KEYID": the name is checked by destmap_add */
static int
parse_line(char *line, const char **name, uint32_t *keyid, const char **why)
{
	char	*hex;

	*why = "not NAME KEYID";
	if ((hex = strchr(line, ' ')) == NULL)
		return -1;
	*hex++ = '\0';
	*why = "bad key id (8 lower-case hex digits)";
	if (strlen(hex) != 8 || strspn(hex, "0123456789abcdef") != 8)
		return -1;
	*name = line;
	*keyid = strtoul(hex, NULL, 16);
	return 0;
}

int
destfile_decode(struct destmap *m, const uint8_t *buf, size_t len,
    size_t *lineno, const char **why)
{
	struct rbuf	 r;
	char		 line[DESTFILE_LINE_MAX + 1];
	const char	*name;
	uint32_t	 keyid;

	destmap_init(m);
	rbuf_init(&r, buf, len);
	for (*lineno = 1; rbuf_left(&r) > 0; (*lineno)++) {
		if (get_line(&r, line, why) == -1 ||
		    parse_line(line, &name, &keyid, why) == -1 ||
		    destmap_add(m, name, keyid, why) == -1) {
			destmap_init(m);
			return -1;
		}
	}
	return 0;
}

int
destfile_encode(const struct destmap *m, struct wbuf *w)
{
	char	hex[9];
	size_t	i;

	for (i = 0; i < m->n; i++) {
		snprintf(hex, sizeof(hex), "%08x", m->ent[i].keyid);
		wbuf_put_bytes(w, m->ent[i].name, strlen(m->ent[i].name));
		wbuf_put_u8(w, ' ');
		wbuf_put_bytes(w, hex, 8);
		wbuf_put_u8(w, '\n');
	}
	return wbuf_error(w);
}

/* what a loaded file holds, at most DESTFILE_MAX + 1 bytes read */
static int
read_file(const char *path, uint8_t *buf, size_t *len, char *err,
    size_t errlen)
{
	struct stat	 st;
	ssize_t		 n = 0;
	int		 fd, rv = -1;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	for (; *len < DESTFILE_MAX + 1; *len += n)
		if ((n = read(fd, buf + *len, DESTFILE_MAX + 1 - *len)) <= 0) {
			if (n == -1 && errno == EINTR) {
				n = 0;
				continue;
			}
			break;
		}
	if (n == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	rv = 0;
out:
	close(fd);
	return rv;
}

int
destfile_load(const char *path, struct destmap *m, char *err, size_t errlen)
{
	uint8_t		*buf;
	const char	*why;
	size_t		 len, line;
	int		 rv = -1;

	destmap_init(m);
	if ((buf = malloc(DESTFILE_MAX + 1)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (read_file(path, buf, &len, err, errlen) == -1)
		goto out;
	if (len > DESTFILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    DESTFILE_MAX);
		goto out;
	}
	if (destfile_decode(m, buf, len, &line, &why) == -1) {
		snprintf(err, errlen, "%s line %zu: %s", path, line, why);
		goto out;
	}
	rv = 0;
out:
	free(buf);
	return rv;
}

int
destfile_save(const char *path, const struct destmap *m)
{
	struct wbuf	 w;
	int		 rv = -1;

	if (wbuf_init_dynamic(&w, 1024, DESTFILE_MAX) == -1 ||
	    destfile_encode(m, &w) == -1) {
		wbuf_free(&w);
		errno = ENOMEM;
		return -1;
	}
	rv = file_write_atomic(path, wbuf_data(&w), wbuf_len(&w), 0600,
	    FILE_SYNC_DIR);
	wbuf_free(&w);
	return rv;
}
