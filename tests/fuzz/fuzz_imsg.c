/*
 * libFuzzer target: the read side of imsg (imsg_read, imsg_get, fd
 * passing) and proc_check_imsg, as a process sees a peer's byte stream.
 *
 * The input is a small program for the writing end of a socketpair:
 *
 *   byte 0	sender and receiver: from = b % PROC_MAX, self = b / PROC_MAX
 *		% PROC_MAX (proc_check_imsg's arguments)
 *   byte 1	the reader's maxsize: default, tiny, IBUF_READ_SIZE + 1 or
 *		MAX_IMSGSIZE_LIMIT
 *   then records, c being the record's first byte, by c & 3:
 *     0  raw bytes: n = next byte | (c >> 2) << 8, then n bytes written
 *     1  bytes with fds: 1 + ((c >> 2) & 3) fds are sent with the next
 *	  1 + (next byte) bytes in one sendmsg (more than one is a protocol
 *	  violation the reader must reject without leaking any)
 *     2  zero filler: ((next byte) + 1) << ((c >> 2) & 7) KiB of zeros,
 *	  so that large messages (the rbig path) need no large input
 *     3  reader step: (c >> 2) & 1 ? one imsg_read without imsg_get :
 *	  read and take every message the socket has
 *
 * Writes that do not fit in the socket buffer alternate with reads.  At
 * the end the writer shuts down and the reader runs to EOF.  The reader
 * stops at its first error, as a peer link does (peer_lost).
 *
 * Checked beyond the sanitizers: messages come out exactly as the bytes
 * went in (headers and payloads, in order); the n-th message flagged
 * IMSGF_HASFD carries the n-th fd sent; a message proc_check_imsg passes
 * matches its msgtab entry; nothing leaks an fd (counted in /proc/self/fd
 * after every input) or memory (LeakSanitizer).
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "imsg.h"
#include "log.h"
#include "proc.h"
#include "fuzz.h"

#define NPOOL		4		/* distinct files whose fds we send */
#define MAXSENTFDS	4096
/* all the bytes of one input's stream, zero filler included */
#define MAXSTREAM	((size_t)MAX_IMSGSIZE_LIMIT + 1024 * 1024)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 pool[NPOOL];
static ino_t	 pool_ino[NPOOL];
static int	 base_fds;
static int	 errfd = STDERR_FILENO;

struct state {
	int		 sv[2];		/* [0] reader, [1] writer */
	struct imsgbuf	 ibuf;
	enum proc_id	 from, self;
	int		 dead;		/* the reader gave up */
	int		 eof;		/* imsg_read saw the end */
	/* the stream as written, and how much of it was taken as imsgs */
	uint8_t		*stream;
	size_t		 streamlen, streamcap, taken;
	/* inodes of the fds sent, in order, and how many were claimed */
	ino_t		 sent[MAXSENTFDS];
	size_t		 nsent, nclaimed;
	size_t		 filler;
};

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_imsg: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char		 name[32];
	struct stat	 st;
	int		 i;

	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	/* proc_check_imsg explains refusals on stderr (-close_fd_mask=2) */
	log_init(1, LOG_USER);
	log_procinit("fuzz_imsg");
	for (i = 0; i < NPOOL; i++) {
		snprintf(name, sizeof(name), "fuzz_imsg_%d", i);
		if ((pool[i] = memfd_create(name, MFD_CLOEXEC)) == -1 ||
		    fstat(pool[i], &st) == -1)
			die("memfd_create");
		pool_ino[i] = st.st_ino;
	}
	return 0;
}

static void
stream_add(struct state *s, const void *p, size_t n)
{
	uint8_t	*np;
	size_t	 cap;

	if (n > s->streamcap - s->streamlen) {
		cap = s->streamcap ? s->streamcap : 4096;
		while (cap - s->streamlen < n)
			cap *= 2;
		if ((np = realloc(s->stream, cap)) == NULL)
			die("realloc");
		s->stream = np;
		s->streamcap = cap;
	}
	if (p != NULL)
		memcpy(s->stream + s->streamlen, p, n);
	else
		memset(s->stream + s->streamlen, 0, n);
	s->streamlen += n;
}

/* one message out of imsg_get: check it against the stream and table */
static void
check_imsg(struct state *s, struct imsg *imsg, ssize_t n)
{
	const struct msgtab_entry	*e;
	struct stat			 st;
	unsigned char			 one;
	size_t				 len;
	int				 fd, ok;

	len = imsg->hdr.len;
	if (n < 0 || (size_t)n != len || len < IMSG_HEADER_SIZE ||
	    len > s->ibuf.maxsize)
		die("imsg_get length");
	if (imsg->datalen != len - IMSG_HEADER_SIZE ||
	    (imsg->datalen > 0) != (imsg->data != NULL))
		die("imsg datalen");
	if (len > s->streamlen - s->taken ||
	    memcmp(s->stream + s->taken, &imsg->hdr, IMSG_HEADER_SIZE) != 0 ||
	    (imsg->datalen > 0 && memcmp(s->stream + s->taken +
	    IMSG_HEADER_SIZE, imsg->data, imsg->datalen) != 0))
		die("imsg differs from the bytes sent");
	s->taken += len;

	if ((imsg->hdr.flags & IMSGF_HASFD) != (imsg->fd != -1))
		die("imsg fd and IMSGF_HASFD disagree");
	if (imsg->fd != -1) {
		if (s->nclaimed >= s->nsent || fstat(imsg->fd, &st) == -1 ||
		    st.st_ino != s->sent[s->nclaimed])
			die("imsg fd is not the one sent for it");
		s->nclaimed++;
	}

	/* the accessors */
	if (imsg_get_type(imsg) != imsg->hdr.type ||
	    imsg_get_len(imsg) != imsg->datalen ||
	    imsg_get_data(imsg, &one, imsg->datalen + 1) != -1)
		die("imsg accessors");

	ok = proc_check_imsg(imsg, s->from, s->self) == 0;
	e = msgtab_lookup(imsg->hdr.type);
	if (ok && (e == NULL ||
	    !(e->senders & PROC_BIT(s->from)) ||
	    !(e->receivers & PROC_BIT(s->self)) ||
	    imsg->datalen < e->minlen || imsg->datalen > e->maxlen ||
	    e->fd != (imsg->fd != -1)))
		die("proc_check_imsg passed a message against the table");
	if (!ok && e != NULL &&
	    (e->senders & PROC_BIT(s->from)) &&
	    (e->receivers & PROC_BIT(s->self)) &&
	    imsg->datalen >= e->minlen && imsg->datalen <= e->maxlen &&
	    e->fd == (imsg->fd != -1))
		die("proc_check_imsg refused a valid message");
	(void)imsg_type_name(imsg->hdr.type);

	/* sometimes the dispatcher keeps the fd: then it must close it */
	if (imsg->fd != -1 && (imsg->hdr.type & 1)) {
		fd = imsg_get_fd(imsg);
		if (imsg->fd != -1 || fd == -1)
			die("imsg_get_fd");
		close(fd);
	}
	imsg_free(imsg);
	if (imsg->data != NULL || imsg->fd != -1)
		die("imsg_free");
}

/* take every complete message; marks the link dead on a bad one */
static void
get_all(struct state *s)
{
	struct imsg	 imsg;
	ssize_t		 n;

	while (!s->dead) {
		if ((n = imsg_get(&s->ibuf, &imsg)) == -1) {
			s->dead = 1;
			return;
		}
		if (n == 0)
			return;
		check_imsg(s, &imsg, n);
	}
}

/* one imsg_read; 0 if it read something, -1 if nothing was there */
static int
read_once(struct state *s)
{
	ssize_t	 n;

	if (s->dead || s->eof)
		return -1;
	n = imsg_read(&s->ibuf);
	if (n == -1) {
		if (errno != EAGAIN)
			s->dead = 1;
		return -1;
	}
	if (n == 0) {
		s->eof = 1;
		return -1;
	}
	return 0;
}

static void
drain(struct state *s)
{
	while (read_once(s) == 0)
		get_all(s);
	get_all(s);
}

/*
 * Writes n bytes (p NULL: zeros) with nfds fds on the first byte, reading
 * whenever the socket is full.  Gives up quietly once the reader is dead.
 */
static void
put(struct state *s, const uint8_t *p, size_t n, int nfds, int poolidx)
{
	static const uint8_t	 zeros[65536];
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * 4)];
	} cmsgbuf;
	struct msghdr		 msg;
	struct cmsghdr		*cmsg;
	struct iovec		 iov;
	int			 fds[4];
	size_t			 chunk;
	ssize_t			 w;
	int			 i;

	for (i = 0; i < nfds; i++)
		if ((fds[i] = dup(pool[(poolidx + i) % NPOOL])) == -1)
			die("dup");
	while (n > 0 && !s->dead) {
		chunk = n;
		if (p == NULL && chunk > sizeof(zeros))
			chunk = sizeof(zeros);
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = (void *)(uintptr_t)(p != NULL ? p : zeros);
		iov.iov_len = chunk;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (nfds > 0) {
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = cmsgbuf.buf;
			msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
		}
		w = sendmsg(s->sv[1], &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				die("sendmsg");
			/* full: let the reader make room */
			if (read_once(s) == 0)
				get_all(s);
			else if (!s->dead)
				die("socket full but nothing to read");
			continue;
		}
		if (w == 0)
			die("sendmsg wrote nothing");
		if (nfds > 0) {
			for (i = 0; i < nfds; i++) {
				if (s->nsent < MAXSENTFDS)
					s->sent[s->nsent] =
					    pool_ino[(poolidx + i) % NPOOL];
				s->nsent++;
			}
			for (i = 0; i < nfds; i++)
				close(fds[i]);
			nfds = 0;
		}
		stream_add(s, p, (size_t)w);
		if (p != NULL)
			p += w;
		n -= (size_t)w;
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t	 maxsizes[] = { MAX_IMSGSIZE,
				    IMSG_HEADER_SIZE + 16, IBUF_READ_SIZE + 1,
				    MAX_IMSGSIZE_LIMIT };
	struct state		*s;
	size_t			 i = 2, n;
	uint8_t			 c;
	int			 sndbuf = 4096, flags;

	if (size < 2)
		return 0;
	/*
	 * Counted for each input: between inputs libFuzzer itself may open
	 * fds (the symbolizer's pipes when it prints a new function).
	 */
	base_fds = fuzz_count_fds();
	if ((s = calloc(1, sizeof(*s))) == NULL)
		die("calloc");
	s->from = data[0] % PROC_MAX;
	s->self = data[0] / PROC_MAX % PROC_MAX;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->sv) == -1)
		die("socketpair");
	/* a small buffer: writes often find it full, reads come in pieces */
	(void)setsockopt(s->sv[1], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf));
	if ((flags = fcntl(s->sv[0], F_GETFL)) == -1 ||
	    fcntl(s->sv[0], F_SETFL, flags | O_NONBLOCK) == -1)
		die("fcntl");
	imsg_init(&s->ibuf, s->sv[0]);
	if (imsgbuf_set_maxsize(&s->ibuf, maxsizes[data[1] & 3]) == -1)
		die("imsgbuf_set_maxsize");

	while (i < size && !s->dead) {
		c = data[i++];
		switch (c & 3) {
		case 0:
			n = (size_t)(c >> 2) << 8;
			if (i < size)
				n |= data[i++];
			if (n > size - i)
				n = size - i;
			put(s, data + i, n, 0, 0);
			i += n;
			break;
		case 1:
			if (i >= size)
				break;
			n = (size_t)data[i++] + 1;
			if (n > size - i)
				n = size - i;
			if (n == 0)
				break;
			put(s, data + i, n, 1 + ((c >> 2) & 3), c >> 4);
			i += n;
			break;
		case 2:
			if (i >= size)
				break;
			n = ((size_t)data[i++] + 1) << ((c >> 2) & 7);
			n *= 1024;
			if (n > MAXSTREAM - s->filler)
				n = MAXSTREAM - s->filler;
			s->filler += n;
			put(s, NULL, n, 0, 0);
			break;
		case 3:
			if (c & 4)
				(void)read_once(s);
			else
				drain(s);
			break;
		}
	}

	/* the peer goes away; everything before that must still arrive */
	shutdown(s->sv[1], SHUT_WR);
	while (!s->dead && !s->eof) {
		if (read_once(s) == 0)
			get_all(s);
		else if (!s->dead && !s->eof)
			die("EAGAIN after the writer shut down");
	}
	/* messages read but not yet taken ("read once" above) */
	get_all(s);
	if (!s->dead && s->taken != s->streamlen) {
		/* clean EOF: what is left must be an incomplete message */
		struct imsg_hdr	 hdr;
		size_t		 left = s->streamlen - s->taken;

		if (left >= IMSG_HEADER_SIZE) {
			memcpy(&hdr, s->stream + s->taken, sizeof(hdr));
			if (hdr.len >= IMSG_HEADER_SIZE &&
			    hdr.len <= s->ibuf.maxsize &&
			    (hdr.flags & ~IMSGF_HASFD) == 0 &&
			    hdr.len <= left &&
			    (!(hdr.flags & IMSGF_HASFD) ||
			    s->nclaimed < s->nsent))
				die("a complete message was never delivered");
		}
	}

	imsg_clear(&s->ibuf);
	close(s->sv[0]);
	close(s->sv[1]);
	free(s->stream);
	free(s);
	if (fuzz_count_fds() != base_fds)
		die("file descriptor leak");
	return 0;
}
