/*
 * Atomic file writes: see file.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* the directory holding path, fsynced; errors only cost durability */
static void
sync_dir(const char *path)
{
	char		 dir[PATH_MAX];
	const char	*slash = strrchr(path, '/');
	int		 fd;

	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else if ((size_t)(slash - path) < sizeof(dir)) {
		memcpy(dir, path, slash - path);
		dir[slash - path] = '\0';
	} else
		return;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
}

int
file_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode, int flags)
{
	char	tmp[PATH_MAX];
	int	fd, saved, rv;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/*
	 * A leftover of a crash would keep its own mode (and could be a
	 * link): it goes, and the new one is made here or not at all.
	 */
	if (unlink(tmp) == -1 && errno != ENOENT)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, mode)) == -1)
		return -1;
	rv = 0;
	if (write_all(fd, data, len) == -1)
		rv = -1;
	else if (!(flags & FILE_NO_FSYNC) && fsync(fd) == -1)
		rv = -1;
	saved = errno;
	if (close(fd) == -1 && rv == 0) {
		rv = -1;
		saved = errno;
	}
	if (rv == -1 || rename(tmp, path) == -1) {
		if (rv == 0)
			saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (flags & FILE_SYNC_DIR)
		sync_dir(path);
	return 0;
}
