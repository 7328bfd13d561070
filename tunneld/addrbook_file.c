/*
 * The books on disk, under tunneld's directory (its chroot,
 * <state>/client): local.txt, private.txt and subscribed.txt in
 * hosts.txt form, names sorted so that the same book writes the same
 * bytes.  Each is written whole (temporary file, fsync, rename, the
 * directory synced) and read back through the feed parser, so a file
 * edited by hand is held to the same rules as a feed.  The subscribed
 * book is read first: a local name added after a subscribed one of the
 * same name shadows it, and reading the local book first would turn the
 * subscribed entry into a conflict.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrbook.h"
#include "encoding.h"
#include "file.h"
#include "log.h"

static const char *const files[AB_NBOOKS] = {
	"local.txt", "private.txt", "subscribed.txt"
};

const char *
ab_book_file(enum ab_book b)
{
	return (unsigned)b < AB_NBOOKS ? files[b] : NULL;
}

int
ab_encode(const struct addrbook *ab, enum ab_book b, struct wbuf *w)
{
	const struct ab_ent	**v;
	char			  b64[B64_ENCLEN(I2P_IDENT_MAXLEN)];
	size_t			  i, n;
	int			  len;

	if ((v = ab_sorted(ab, b, &n)) == NULL && ab_count(ab, b) > 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((len = b64_encode(b64, sizeof(b64), v[i]->dest,
		    v[i]->destlen)) == -1)
			break;
		wbuf_put_bytes(w, v[i]->name, strlen(v[i]->name));
		wbuf_put_u8(w, '=');
		wbuf_put_bytes(w, b64, len);
		wbuf_put_u8(w, '\n');
	}
	free(v);
	return i == n ? wbuf_error(w) : -1;
}

int
ab_slurp(const char *path, size_t max, uint8_t **buf, size_t *len, char *err,
    size_t errlen)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		snprintf(err, errlen, "%s: not a regular file of at most %zu "
		    "bytes", path, max);
		goto fail;
	}
	if ((*buf = malloc(st.st_size + 1)) == NULL)
		goto syserr;
	while (*len < (size_t)st.st_size) {
		n = read(fd, *buf + *len, st.st_size - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto syserr;
		if (n == 0)
			break;
		*len += n;
	}
	close(fd);
	return 0;
syserr:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
fail:
	free(*buf);
	*buf = NULL;
	close(fd);
	return -1;
}

int
ab_load(struct addrbook *ab, enum ab_book b, const char *path,
    struct ab_counts *c, char *err, size_t errlen)
{
	uint8_t	*buf;
	size_t	 len;

	if (ab_slurp(path, AB_FILE_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	ab_apply(ab, b, buf, len, c);
	free(buf);
	ab->dirty[b] = 0;
	return 0;
}

int
ab_save(const struct addrbook *ab, enum ab_book b, const char *path)
{
	struct wbuf	w;
	int		rv;

	if (wbuf_init_dynamic(&w, 4096, AB_FILE_MAX) == -1)
		return -1;
	if (ab_encode(ab, b, &w) == -1) {
		wbuf_free(&w);
		errno = EFBIG;
		return -1;
	}
	rv = file_write_atomic(path, wbuf_data(&w), wbuf_len(&w), 0600,
	    FILE_SYNC_DIR);
	wbuf_free(&w);
	return rv;
}

static int
book_path(const char *dir, enum ab_book b, char *path, size_t sz)
{
	int	n = snprintf(path, sz, "%s/%s", dir, files[b]);

	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

int
ab_load_all(struct addrbook *ab, const char *dir, char *err, size_t errlen)
{
	static const enum ab_book order[AB_NBOOKS] = {
		AB_SUBSCRIBED, AB_PRIVATE, AB_LOCAL
	};
	struct ab_counts	c;
	char			path[1024];
	int			i;

	for (i = 0; i < AB_NBOOKS; i++) {
		memset(&c, 0, sizeof(c));
		if (book_path(dir, order[i], path, sizeof(path)) == -1) {
			snprintf(err, errlen, "%s: path too long", dir);
			return -1;
		}
		if (ab_load(ab, order[i], path, &c, err, errlen) == -1)
			return -1;
		if (ab_counts_bad(&c) + c.conflicts + c.full > 0)
			log_warnx("%s: %u bad lines, %u conflicts, %u over the "
			    "limit skipped", path, ab_counts_bad(&c),
			    c.conflicts, c.full);
	}
	return 0;
}

int
ab_save_dirty(struct addrbook *ab, const char *dir)
{
	char	path[1024];
	int	b, rv = 0;

	for (b = 0; b < AB_NBOOKS; b++) {
		if (!ab->dirty[b])
			continue;
		if (book_path(dir, b, path, sizeof(path)) == -1 ||
		    ab_save(ab, b, path) == -1) {
			log_warn("%s/%s: cannot save", dir, files[b]);
			rv = -1;
			continue;
		}
		ab->dirty[b] = 0;
	}
	return rv;
}
