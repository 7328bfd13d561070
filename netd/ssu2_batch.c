/*
 * SSU2's datagrams a batch at a time: recvmmsg reads up to
 * SSU2_BATCH of them in one system call, and what one event-loop turn
 * sends goes out by sendmmsg when the turn ends or the batch fills.
 * One system call per datagram was much of netd's kernel time under
 * load (docs/transports.md).  The buffers are the batch's own, sized
 * once: nothing here allocates.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>

#include "log.h"
#include "ssu2_io.h"

/* points each message at its buffer and address slot */
static void
batch_arm(struct ssu2_batch *b, unsigned int i, size_t len)
{
	struct msghdr	*m = &b->msg[i].msg_hdr;

	memset(m, 0, sizeof(*m));
	b->iov[i].iov_base = b->buf[i];
	b->iov[i].iov_len = len;
	m->msg_iov = &b->iov[i];
	m->msg_iovlen = 1;
	m->msg_name = &b->ss[i];
	m->msg_namelen = sizeof(b->ss[i]);
	b->msg[i].msg_len = 0;
}

/* a batch to receive into: every slot its whole buffer */
void
ssu2_batch_init_recv(struct ssu2_batch *b)
{
	unsigned int	 i;

	for (i = 0; i < SSU2_BATCH; i++) {
		batch_arm(b, i, sizeof(b->buf[i]));
		memset(&b->ss[i], 0, sizeof(b->ss[i]));
	}
	b->n = 0;
}

/*
 * Reads what is waiting, at most a batch: the count, 0 when nothing
 * is (or on an error, logged).  A buffer holds one byte more than the
 * largest packet, so that msg_len tells an oversized datagram (its
 * tail is cut, MSG_TRUNC) from one of exactly SSU2_PKT_MAX.  Only the
 * slots the last call filled are made ready again: most wakeups bring
 * a few datagrams, and the whole batch's 4 KB of addresses each time
 * showed in perf.
 */
unsigned int
ssu2_batch_recv(int fd, struct ssu2_batch *b)
{
	unsigned int	 i;
	int		 n;

	for (i = 0; i < b->n; i++) {
		b->msg[i].msg_hdr.msg_namelen = sizeof(b->ss[i]);
		b->msg[i].msg_hdr.msg_flags = 0;
		memset(&b->ss[i], 0, sizeof(b->ss[i]));
	}
	b->n = 0;
	n = recvmmsg(fd, b->msg, SSU2_BATCH, 0, NULL);
	if (n == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_debug("ssu2 recvmmsg: %s", strerror(errno));
		return 0;
	}
	return b->n = n;
}

/*
 * Queues a copy of one datagram to that address; 1 when the batch is
 * full now and must be sent before the next.  The caller sends in
 * order, so a peer's packets leave in the order they were made.
 */
int
ssu2_batch_add(struct ssu2_batch *b, const struct sockaddr_storage *to,
    socklen_t tolen, const uint8_t *pkt, size_t len)
{
	if (b->n >= SSU2_BATCH || len > SSU2_PKT_MAX ||
	    tolen > sizeof(b->ss[0]))
		return -1;	/* callers flush when full and send packets */
	memcpy(b->buf[b->n], pkt, len);
	memcpy(&b->ss[b->n], to, tolen);
	batch_arm(b, b->n, len);
	b->msg[b->n].msg_hdr.msg_namelen = tolen;
	return ++b->n == SSU2_BATCH;
}

/*
 * Sends the queued datagrams and empties the batch.  A datagram the
 * kernel refuses is lost, as the network may lose it, and the rest are
 * still tried, as separate sendto calls would be: sendmmsg stops at the
 * first failure and says how many went before it.  sent and bytes count
 * those that went.
 */
void
ssu2_batch_send(int fd, struct ssu2_batch *b, uint64_t *sent,
    uint64_t *bytes)
{
	unsigned int	 i = 0, j;
	int		 n;

	while (i < b->n) {
		n = sendmmsg(fd, &b->msg[i], b->n - i, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_debug("ssu2 sendmmsg: %s", strerror(errno));
			i++;		/* that one is lost */
			continue;
		}
		for (j = i; j < i + (unsigned int)n; j++) {
			(*sent)++;
			*bytes += b->iov[j].iov_len;
		}
		i += n;
	}
	b->n = 0;
}
