/*
 * ibuf and msgbuf: the write side of imsg.
 *
 * An ibuf is a byte buffer that may grow up to a fixed ceiling; a msgbuf
 * is a queue of closed ibufs waiting to be written to a stream socket.
 * msgbuf_write gathers as many queued buffers as it can into one
 * sendmsg(2) call.  A buffer that carries an fd must start a sendmsg of
 * its own, so that the kernel delivers the fd together with the first
 * byte of its message and the reader can pair them up.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <bsd/stdlib.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/*
 * iovecs per sendmsg: enough to send a full socket buffer's worth of
 * small messages in one system call, and never above IOV_MAX.
 */
#if defined(IOV_MAX) && IOV_MAX < 1024
#define MSGBUF_IOV	IOV_MAX
#else
#define MSGBUF_IOV	1024
#endif

static int	ibuf_grow(struct ibuf *, size_t);
static size_t	msgbuf_fill_iov(struct msgbuf *, struct iovec *, int *);
static void	msgbuf_drain(struct msgbuf *, size_t);
static void	msgbuf_dequeue(struct msgbuf *, struct ibuf *);

struct ibuf *
ibuf_open(size_t len)
{
	return ibuf_dynamic(len, len);
}

struct ibuf *
ibuf_dynamic(size_t len, size_t max)
{
	struct ibuf	*buf;

	if (max < len) {
		errno = EINVAL;
		return NULL;
	}
	if ((buf = calloc(1, sizeof(*buf))) == NULL)
		return NULL;
	/* malloc(0) may return NULL; start empty and grow on first use */
	if (len > 0 && (buf->buf = malloc(len)) == NULL) {
		free(buf);
		return NULL;
	}
	buf->size = len;
	buf->max = max;
	buf->fd = -1;
	return buf;
}

/* Make room for at least need bytes in total, doubling to limit reallocs. */
static int
ibuf_grow(struct ibuf *buf, size_t need)
{
	unsigned char	*p;
	size_t		 nsize;

	if (need <= buf->size)
		return 0;
	if (need > buf->max) {
		errno = ERANGE;
		return -1;
	}
	nsize = buf->size < 64 ? 64 : buf->size;
	while (nsize < need && nsize <= buf->max / 2)
		nsize *= 2;
	if (nsize < need || nsize > buf->max)
		nsize = buf->max;
	/* not realloc: the old copy may hold secrets (DH outputs) */
	if ((p = malloc(nsize)) == NULL)
		return -1;
	if (buf->wpos > 0)
		memcpy(p, buf->buf, buf->wpos);
	freezero(buf->buf, buf->size);
	buf->buf = p;
	buf->size = nsize;
	return 0;
}

void *
ibuf_reserve(struct ibuf *buf, size_t len)
{
	void	*p;

	if (len > SIZE_MAX - buf->wpos) {
		errno = ERANGE;
		return NULL;
	}
	if (ibuf_grow(buf, buf->wpos + len) == -1)
		return NULL;
	/* a zero-length reservation of an empty buffer has nowhere to point */
	if (buf->buf == NULL) {
		errno = ERANGE;
		return NULL;
	}
	p = buf->buf + buf->wpos;
	buf->wpos += len;
	return p;
}

int
ibuf_add(struct ibuf *buf, const void *data, size_t len)
{
	void	*p;

	if (len == 0)
		return 0;
	if ((p = ibuf_reserve(buf, len)) == NULL)
		return -1;
	memcpy(p, data, len);
	return 0;
}

size_t
ibuf_size(const struct ibuf *buf)
{
	return buf->wpos;
}

void
ibuf_close(struct msgbuf *msgbuf, struct ibuf *buf)
{
	TAILQ_INSERT_TAIL(&msgbuf->bufs, buf, entry);
	msgbuf->queued++;
}

void
ibuf_free(struct ibuf *buf)
{
	int	 saved_errno;

	if (buf == NULL)
		return;
	/* callers often free on an error path and then report errno */
	saved_errno = errno;
	if (buf->fd != -1)
		close(buf->fd);
	/* as OpenBSD's: a message may carry a DH output or a decryption */
	freezero(buf->buf, buf->size);
	free(buf);
	errno = saved_errno;
}

void
msgbuf_init(struct msgbuf *msgbuf)
{
	TAILQ_INIT(&msgbuf->bufs);
	msgbuf->queued = 0;
	msgbuf->fd = -1;
}

void
msgbuf_clear(struct msgbuf *msgbuf)
{
	struct ibuf	*buf;

	while ((buf = TAILQ_FIRST(&msgbuf->bufs)) != NULL)
		msgbuf_dequeue(msgbuf, buf);
}

uint32_t
msgbuf_queuelen(const struct msgbuf *msgbuf)
{
	return msgbuf->queued;
}

static void
msgbuf_dequeue(struct msgbuf *msgbuf, struct ibuf *buf)
{
	TAILQ_REMOVE(&msgbuf->bufs, buf, entry);
	msgbuf->queued--;
	ibuf_free(buf);
}

/*
 * Collect the unsent parts of queued buffers into iov.  An fd may only
 * ride on the first buffer of a call, so stop before the next buffer that
 * has one.  *fdp is the fd to send with this call, or -1.
 */
static size_t
msgbuf_fill_iov(struct msgbuf *msgbuf, struct iovec *iov, int *fdp)
{
	struct ibuf	*buf;
	size_t		 n = 0;

	*fdp = -1;
	TAILQ_FOREACH(buf, &msgbuf->bufs, entry) {
		if (n == MSGBUF_IOV)
			break;
		if (buf->fd != -1) {
			if (n > 0)
				break;
			*fdp = buf->fd;
		}
		iov[n].iov_base = buf->buf + buf->rpos;
		iov[n].iov_len = buf->wpos - buf->rpos;
		n++;
	}
	return n;
}

/* Account for sent bytes: free fully sent buffers, advance a partial one. */
static void
msgbuf_drain(struct msgbuf *msgbuf, size_t n)
{
	struct ibuf	*buf;
	size_t		 left;

	while (n > 0 && (buf = TAILQ_FIRST(&msgbuf->bufs)) != NULL) {
		left = buf->wpos - buf->rpos;
		if (n < left) {
			buf->rpos += n;
			return;
		}
		n -= left;
		msgbuf_dequeue(msgbuf, buf);
	}
	/* zero-length buffers sent nothing but are done all the same */
	while ((buf = TAILQ_FIRST(&msgbuf->bufs)) != NULL &&
	    buf->rpos == buf->wpos && buf->fd == -1)
		msgbuf_dequeue(msgbuf, buf);
}

int
msgbuf_write(struct msgbuf *msgbuf)
{
	struct iovec	 iov[MSGBUF_IOV];
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct ibuf	*first;
	ssize_t		 n;
	int		 fd;

	if (TAILQ_EMPTY(&msgbuf->bufs))
		return 1;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = msgbuf_fill_iov(msgbuf, iov, &fd);
	if (fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = &cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}

	do {
		/* MSG_NOSIGNAL: a vanished peer is an error code, not SIGPIPE */
		n = sendmsg(msgbuf->fd, &msg, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		if (errno == EPIPE || errno == ECONNRESET)
			return 0;
		return -1;
	}

	/*
	 * The kernel took its own reference to the fd with the first byte;
	 * ours is no longer needed, even if the rest of the buffer waits.
	 */
	if (fd != -1) {
		first = TAILQ_FIRST(&msgbuf->bufs);
		close(first->fd);
		first->fd = -1;
	}
	msgbuf_drain(msgbuf, (size_t)n);
	return 1;
}
