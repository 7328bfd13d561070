/*
 * imsg: framed messages with fd passing over a stream socket.
 *
 * Read side.  imsg_read appends whatever the socket has to a fixed
 * buffer (r.buf); imsg_get cuts complete messages off its front and
 * zeroes the bytes it took, as imsg_free and rbig's freezero do.  A
 * message too large for r.buf (up to maxsize) is moved into a buffer of
 * its own (rbig) as soon as its header is known, and the rest of it is
 * read straight there.  Received fds are queued in arrival order; the
 * writer sends each fd with the first byte of its message, so the n-th
 * message flagged IMSGF_HASFD owns the n-th fd.
 *
 * Write side.  Messages are built in ibufs and queued on the msgbuf (see
 * imsg-buffer.c), which msgbuf_write or imsg_flush push to the socket.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <bsd/stdlib.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/*
 * Room for several fds, although a well-behaved peer sends at most one
 * per call: a larger control buffer lets us see, and close, what a
 * misbehaving peer sent instead of having the kernel truncate it.
 */
#define IMSG_MAXRECVFDS	8

static int	imsg_check_hdr(const struct imsgbuf *, const struct imsg_hdr *);
static int	imsg_read_prepare(struct imsgbuf *, unsigned char **, size_t *);
static void	imsg_read_account(struct imsgbuf *, size_t);
static int	imsg_recv_fds(struct imsgbuf *, struct msghdr *);
static int	imsg_enqueue_fd(struct imsgbuf *, int);
static int	imsg_dequeue_fd(struct imsgbuf *);
static ssize_t	imsg_build(struct imsgbuf *, struct imsg *,
		    const unsigned char *);
static void	imsg_drop_rbig(struct imsgbuf *);
static void	imsg_close_fd(int);

void
imsg_init(struct imsgbuf *ibuf, int fd)
{
	TAILQ_INIT(&ibuf->fds);
	ibuf->r.buf = ibuf->r.rptr = NULL;
	ibuf->r.wpos = 0;
	msgbuf_init(&ibuf->w);
	ibuf->w.fd = fd;
	ibuf->fd = fd;
	ibuf->pid = getpid();
	ibuf->maxsize = MAX_IMSGSIZE;
	ibuf->rbig = NULL;
	ibuf->rbigsize = 0;
	ibuf->rbigpos = 0;
}

int
imsgbuf_set_maxsize(struct imsgbuf *ibuf, uint32_t maxsize)
{
	if (maxsize < IMSG_HEADER_SIZE || maxsize > MAX_IMSGSIZE_LIMIT) {
		errno = EINVAL;
		return -1;
	}
	ibuf->maxsize = maxsize;
	return 0;
}

/* Close without disturbing errno, for cleanup on error paths. */
static void
imsg_close_fd(int fd)
{
	int	 saved_errno = errno;

	close(fd);
	errno = saved_errno;
}

/* A header is acceptable if its length is possible and its flags known. */
static int
imsg_check_hdr(const struct imsgbuf *ibuf, const struct imsg_hdr *hdr)
{
	if (hdr->len < IMSG_HEADER_SIZE ||
	    (hdr->flags & ~IMSGF_HASFD) != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (hdr->len > ibuf->maxsize) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

/*
 * Decide where the next read goes.  While a large message is being
 * collected in rbig, read only up to its end, so r.buf stays empty and
 * the byte stream keeps its order.  Otherwise slide unconsumed bytes to
 * the front of r.buf, and if they start a valid message too large for
 * r.buf, move them to a fresh rbig first.
 */
static int
imsg_read_prepare(struct imsgbuf *ibuf, unsigned char **p, size_t *len)
{
	struct ibuf_read	*r = &ibuf->r;
	struct imsg_hdr		 hdr;
	size_t			 avail;

	if (ibuf->rbig != NULL && ibuf->rbigpos < ibuf->rbigsize) {
		*p = ibuf->rbig + ibuf->rbigpos;
		*len = ibuf->rbigsize - ibuf->rbigpos;
		return 0;
	}
	if (r->buf == NULL) {
		if ((r->buf = malloc(IBUF_READ_SIZE)) == NULL)
			return -1;
		r->rptr = r->buf;
		r->wpos = 0;
	}

	avail = r->buf + r->wpos - r->rptr;
	if (r->rptr != r->buf) {
		memmove(r->buf, r->rptr, avail);
		/* the moved bytes' old copy: a buffer is freed unwiped */
		explicit_bzero(r->buf + avail, r->wpos - avail);
		r->rptr = r->buf;
		r->wpos = avail;
	}

	if (ibuf->rbig == NULL && avail >= IMSG_HEADER_SIZE) {
		memcpy(&hdr, r->buf, sizeof(hdr));
		if (imsg_check_hdr(ibuf, &hdr) == 0 &&
		    hdr.len > IBUF_READ_SIZE) {
			if ((ibuf->rbig = malloc(hdr.len)) == NULL)
				return -1;
			memcpy(ibuf->rbig, r->buf, avail);
			ibuf->rbigsize = hdr.len;
			ibuf->rbigpos = avail;
			r->wpos = 0;
			*p = ibuf->rbig + ibuf->rbigpos;
			*len = ibuf->rbigsize - ibuf->rbigpos;
			return 0;
		}
	}

	/*
	 * A full buffer means the caller did not call imsg_get in between,
	 * or the data is garbage that imsg_get will reject.
	 */
	if (r->wpos == IBUF_READ_SIZE) {
		errno = ENOBUFS;
		return -1;
	}
	*p = r->buf + r->wpos;
	*len = IBUF_READ_SIZE - r->wpos;
	return 0;
}

/*
 * Record n bytes just read where imsg_read_prepare said: into rbig if it
 * was still filling, else into r.buf.
 */
static void
imsg_read_account(struct imsgbuf *ibuf, size_t n)
{
	if (ibuf->rbig != NULL && ibuf->rbigpos < ibuf->rbigsize)
		ibuf->rbigpos += n;
	else
		ibuf->r.wpos += n;
}

static int
imsg_enqueue_fd(struct imsgbuf *ibuf, int fd)
{
	struct imsg_fd	*ifd;

	if ((ifd = malloc(sizeof(*ifd))) == NULL)
		return -1;
	ifd->fd = fd;
	TAILQ_INSERT_TAIL(&ibuf->fds, ifd, entry);
	return 0;
}

static int
imsg_dequeue_fd(struct imsgbuf *ibuf)
{
	struct imsg_fd	*ifd;
	int		 fd;

	if ((ifd = TAILQ_FIRST(&ibuf->fds)) == NULL)
		return -1;
	fd = ifd->fd;
	TAILQ_REMOVE(&ibuf->fds, ifd, entry);
	free(ifd);
	return fd;
}

/*
 * Take the fds out of a received control message.  Exactly one fd per
 * call is legitimate; anything else (several fds, a truncated control
 * message, fds we cannot queue) closes every fd received and fails, so a
 * faulty or hostile peer cannot make us leak descriptors.
 */
static int
imsg_recv_fds(struct imsgbuf *ibuf, struct msghdr *msg)
{
	struct cmsghdr	*cmsg;
	int		 fds[IMSG_MAXRECVFDS];
	size_t		 i, j, nfds = 0, count;
	int		 error = 0;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		/* the kernel fits no more than our buffer holds; be sure */
		for (j = 0; j < count && nfds < IMSG_MAXRECVFDS; j++)
			memcpy(&fds[nfds++], CMSG_DATA(cmsg) + j * sizeof(int),
			    sizeof(int));
	}

	if (msg->msg_flags & MSG_CTRUNC || nfds > 1)
		error = EBADMSG;
	else if (nfds == 1 && imsg_enqueue_fd(ibuf, fds[0]) == -1)
		error = ENOMEM;
	if (error != 0) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		errno = error;
		return -1;
	}
	return 0;
}

ssize_t
imsg_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * IMSG_MAXRECVFDS)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	unsigned char	*p;
	size_t		 len;
	ssize_t		 n;

	if (imsg_read_prepare(ibuf, &p, &len) == -1)
		return -1;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = p;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	do {
		/* CLOEXEC: a received fd must not slip into an exec'd child */
		n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;

	/*
	 * Keep the bytes even if the fds were bad: the stream stays
	 * consistent, and imsg_get will refuse a HASFD message without fd.
	 */
	imsg_read_account(ibuf, (size_t)n);
	if (imsg_recv_fds(ibuf, &msg) == -1)
		return -1;
	return n;
}

/* Fill imsg from the complete message at p, which imsg_get checked. */
static ssize_t
imsg_build(struct imsgbuf *ibuf, struct imsg *imsg, const unsigned char *p)
{
	struct imsg_hdr	 hdr;
	void		*data = NULL;
	size_t		 datalen;
	int		 fd = -1;

	memcpy(&hdr, p, sizeof(hdr));
	datalen = hdr.len - IMSG_HEADER_SIZE;
	if (hdr.flags & IMSGF_HASFD && TAILQ_EMPTY(&ibuf->fds)) {
		errno = EBADMSG;
		return -1;
	}
	if (datalen > 0) {
		if ((data = malloc(datalen)) == NULL)
			return -1;
		memcpy(data, p + IMSG_HEADER_SIZE, datalen);
	}
	if (hdr.flags & IMSGF_HASFD)
		fd = imsg_dequeue_fd(ibuf);

	imsg->hdr = hdr;
	imsg->fd = fd;
	imsg->data = data;
	imsg->datalen = datalen;
	return hdr.len;
}

static void
imsg_drop_rbig(struct imsgbuf *ibuf)
{
	freezero(ibuf->rbig, ibuf->rbigsize);
	ibuf->rbig = NULL;
	ibuf->rbigsize = 0;
	ibuf->rbigpos = 0;
}

ssize_t
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	struct ibuf_read	*r = &ibuf->r;
	struct imsg_hdr		 hdr;
	size_t			 avail;
	ssize_t			 n;

	/* rbig holds the oldest bytes of the stream, if it is in use */
	if (ibuf->rbig != NULL) {
		if (ibuf->rbigpos < ibuf->rbigsize)
			return 0;
		memcpy(&hdr, ibuf->rbig, sizeof(hdr));
		if (imsg_check_hdr(ibuf, &hdr) == -1)
			return -1;
		if ((n = imsg_build(ibuf, imsg, ibuf->rbig)) == -1)
			return -1;
		imsg_drop_rbig(ibuf);
		return n;
	}

	if (r->buf == NULL)
		return 0;
	avail = r->buf + r->wpos - r->rptr;
	if (avail < IMSG_HEADER_SIZE)
		return 0;
	memcpy(&hdr, r->rptr, sizeof(hdr));
	if (imsg_check_hdr(ibuf, &hdr) == -1)
		return -1;
	if (hdr.len > avail)
		return 0;
	if ((n = imsg_build(ibuf, imsg, r->rptr)) == -1)
		return -1;

	/* no copy stays behind: some messages carry private keys */
	explicit_bzero(r->rptr, hdr.len);
	r->rptr += hdr.len;
	if (r->rptr == r->buf + r->wpos) {
		r->rptr = r->buf;
		r->wpos = 0;
	}
	return n;
}

struct ibuf *
imsg_create(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    size_t datalen)
{
	struct ibuf	*wbuf;
	struct imsg_hdr	 hdr;

	if (datalen > ibuf->maxsize - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return NULL;
	}
	if ((wbuf = ibuf_dynamic(IMSG_HEADER_SIZE + datalen,
	    ibuf->maxsize)) == NULL)
		return NULL;

	/* len and flags are final only in imsg_close */
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.peerid = peerid;
	hdr.pid = pid != 0 ? (uint32_t)pid : (uint32_t)ibuf->pid;
	if (ibuf_add(wbuf, &hdr, sizeof(hdr)) == -1) {
		ibuf_free(wbuf);
		return NULL;
	}
	return wbuf;
}

int
imsg_add(struct ibuf *wbuf, const void *data, size_t datalen)
{
	if (ibuf_add(wbuf, data, datalen) == -1) {
		/* like OpenBSD: a failed add discards the message */
		ibuf_free(wbuf);
		return -1;
	}
	return (int)datalen;
}

void
imsg_close(struct imsgbuf *ibuf, struct ibuf *wbuf)
{
	struct imsg_hdr	 hdr;

	memcpy(&hdr, wbuf->buf, sizeof(hdr));
	hdr.len = (uint32_t)wbuf->wpos;
	if (wbuf->fd != -1)
		hdr.flags |= IMSGF_HASFD;
	memcpy(wbuf->buf, &hdr, sizeof(hdr));
	ibuf_close(&ibuf->w, wbuf);
}

int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    int fd, const void *data, size_t datalen)
{
	struct iovec	 iov;

	iov.iov_base = (void *)(uintptr_t)data;
	iov.iov_len = datalen;
	return imsg_composev(ibuf, type, peerid, pid, fd, &iov,
	    datalen > 0 ? 1 : 0);
}

int
imsg_composev(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid,
    pid_t pid, int fd, const struct iovec *iov, int iovcnt)
{
	struct ibuf	*wbuf;
	size_t		 datalen = 0;
	int		 i;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SIZE_MAX - datalen) {
			errno = ERANGE;
			goto fail;
		}
		datalen += iov[i].iov_len;
	}
	if ((wbuf = imsg_create(ibuf, type, peerid, pid, datalen)) == NULL)
		goto fail;
	for (i = 0; i < iovcnt; i++)
		if (imsg_add(wbuf, iov[i].iov_base, iov[i].iov_len) == -1)
			goto fail;	/* imsg_add freed wbuf */
	wbuf->fd = fd;
	imsg_close(ibuf, wbuf);
	return 1;

 fail:
	/* the fd was handed to us; see imsg.h */
	if (fd != -1)
		imsg_close_fd(fd);
	return -1;
}

void
imsg_free(struct imsg *imsg)
{
	freezero(imsg->data, imsg->datalen);
	imsg->data = NULL;
	imsg->datalen = 0;
	if (imsg->fd != -1) {
		imsg_close_fd(imsg->fd);
		imsg->fd = -1;
	}
}

int
imsg_flush(struct imsgbuf *ibuf)
{
	struct pollfd	 pfd;
	int		 rv;

	while (msgbuf_queuelen(&ibuf->w) > 0) {
		rv = msgbuf_write(&ibuf->w);
		if (rv == 1)
			continue;
		if (rv == 0) {
			errno = EPIPE;
			return -1;
		}
		if (errno != EAGAIN)
			return -1;
		pfd.fd = ibuf->w.fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
	return 0;
}

void
imsg_clear(struct imsgbuf *ibuf)
{
	int	 fd;

	msgbuf_clear(&ibuf->w);
	while ((fd = imsg_dequeue_fd(ibuf)) != -1)
		imsg_close_fd(fd);
	imsg_drop_rbig(ibuf);
	/* what was read and not taken may be a private key's message */
	freezero(ibuf->r.buf, ibuf->r.wpos);
	ibuf->r.buf = ibuf->r.rptr = NULL;
	ibuf->r.wpos = 0;
}

/*
 * imsg_get zeroes what it takes and rewinds an emptied buffer, so an
 * empty one holds nothing worth keeping: free it; the next imsg_read
 * takes a new one.
 */
void
imsg_read_release(struct imsgbuf *ibuf)
{
	if (ibuf->r.buf == NULL || ibuf->r.wpos != 0)
		return;
	free(ibuf->r.buf);
	ibuf->r.buf = ibuf->r.rptr = NULL;
}

uint32_t
imsg_get_type(const struct imsg *imsg)
{
	return imsg->hdr.type;
}

uint32_t
imsg_get_peerid(const struct imsg *imsg)
{
	return imsg->hdr.peerid;
}

pid_t
imsg_get_pid(const struct imsg *imsg)
{
	return (pid_t)imsg->hdr.pid;
}

size_t
imsg_get_len(const struct imsg *imsg)
{
	return imsg->datalen;
}

int
imsg_get_data(const struct imsg *imsg, void *buf, size_t len)
{
	if (len != imsg->datalen) {
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(buf, imsg->data, len);
	return 0;
}

int
imsg_get_fd(struct imsg *imsg)
{
	int	 fd = imsg->fd;

	imsg->fd = -1;
	return fd;
}
