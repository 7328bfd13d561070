/*
 * The reseed signers' certificates (reseed certificates DIR): routerd,
 * which checks su3 signatures, is chrooted away from /etc, so the
 * parent reads every DIR/NAME.crt at start and at each reload and passes
 * their bytes on; routerd parses them and replaces its trusted set at
 * the end.  A missing directory leaves no signer trusted, which only
 * refuses su3 files: zip import and our own export keep working.
 */
#include <sys/stat.h>

#include <bsd/string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"

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
		peer_compose(p, IMSG_RESEED_CERT, 0, -1, rc, sizeof(*rc) + n);
		sent++;
	}
	if (d != NULL)
		closedir(d);
	free(rc);
	peer_compose(p, IMSG_RESEED_CERTS_END, 0, -1, NULL, 0);
	log_debug("%zu reseed certificates from %s sent to routerd", sent, dir);
}
