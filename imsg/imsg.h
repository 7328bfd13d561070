/*
 * imsg: framed messages over a stream socket, with file descriptor
 * passing (SCM_RIGHTS).  The API follows the shape of OpenBSD's imsg(3);
 * this is our own implementation.
 *
 * Wire format: a fixed header (struct imsg_hdr, host byte order: both
 * ends are processes on one machine) followed by hdr.len - IMSG_HEADER_SIZE
 * bytes of payload.  At most one fd travels with a message; it is sent
 * with the first byte of that message.
 */
#ifndef I2PRD_IMSG_H
#define I2PRD_IMSG_H

#include <sys/types.h>
#include <sys/uio.h>
#include <bsd/sys/queue.h>
#include <stdint.h>

#define IBUF_READ_SIZE		65536
#define IMSG_HEADER_SIZE	sizeof(struct imsg_hdr)
/* Default largest message, header included; see imsgbuf_set_maxsize. */
#define MAX_IMSGSIZE		(256 * 1024)
/* Hard ceiling for imsgbuf_set_maxsize. */
#define MAX_IMSGSIZE_LIMIT	(16 * 1024 * 1024)

/* imsg_hdr.flags */
#define IMSGF_HASFD		0x0001

struct ibuf {
	TAILQ_ENTRY(ibuf)	 entry;
	unsigned char		*buf;
	size_t			 size;	/* allocated */
	size_t			 max;	/* may grow up to this */
	size_t			 wpos;	/* bytes written into buf */
	size_t			 rpos;	/* bytes already sent */
	int			 fd;	/* fd to pass, or -1 */
};

struct msgbuf {
	TAILQ_HEAD(, ibuf)	 bufs;
	uint32_t		 queued;	/* number of ibufs queued */
	int			 fd;
};

/*
 * buf holds IBUF_READ_SIZE bytes from the first read on, and is let go
 * by imsg_read_release while empty: a process has a dozen links, most
 * of them idle most of the time.
 */
struct ibuf_read {
	unsigned char		*buf;
	unsigned char		*rptr;
	size_t			 wpos;
};

struct imsg_fd {
	TAILQ_ENTRY(imsg_fd)	 entry;
	int			 fd;
};

struct imsgbuf {
	TAILQ_HEAD(, imsg_fd)	 fds;	/* received, not yet claimed */
	struct ibuf_read	 r;
	struct msgbuf		 w;
	int			 fd;
	pid_t			 pid;
	uint32_t		 maxsize;
	unsigned char		*rbig;	/* read buffer for msgs > IBUF_READ_SIZE */
	size_t			 rbigsize;	/* the whole message, hdr.len */
	size_t			 rbigpos;	/* bytes of it received so far */
};

struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;		/* header included */
	uint16_t	 flags;
	uint16_t	 unused;
	uint32_t	 peerid;
	uint32_t	 pid;
};

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;		/* -1 if none */
	void		*data;		/* payload, NULL if empty */
	size_t		 datalen;	/* hdr.len - IMSG_HEADER_SIZE */
};

/*
 * imsgbuf.  An fd given to imsg_compose or imsg_composev belongs to the
 * imsgbuf from then on, even if the call fails: it is closed once sent,
 * on failure, or by imsg_clear.  Received fds are close-on-exec.
 * imsg_clear is for teardown: it also forgets buffered input.
 */
void	 imsg_init(struct imsgbuf *, int);
int	 imsgbuf_set_maxsize(struct imsgbuf *, uint32_t);
ssize_t	 imsg_read(struct imsgbuf *);	/* -1 error/EAGAIN, 0 EOF, >0 bytes */
ssize_t	 imsg_get(struct imsgbuf *, struct imsg *); /* -1 bad, 0 none, >0 len */
int	 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);
int	 imsg_composev(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const struct iovec *, int);
struct ibuf *imsg_create(struct imsgbuf *, uint32_t, uint32_t, pid_t, size_t);
int	 imsg_add(struct ibuf *, const void *, size_t);
void	 imsg_close(struct imsgbuf *, struct ibuf *);
void	 imsg_free(struct imsg *);
int	 imsg_flush(struct imsgbuf *);	/* blocks until all is written */
void	 imsg_clear(struct imsgbuf *);	/* drops queued output and fds */
void	 imsg_read_release(struct imsgbuf *);	/* frees r.buf if empty */

/* accessors; imsg_get_data fails unless the payload is exactly len bytes */
uint32_t imsg_get_type(const struct imsg *);
uint32_t imsg_get_peerid(const struct imsg *);
pid_t	 imsg_get_pid(const struct imsg *);
size_t	 imsg_get_len(const struct imsg *);
int	 imsg_get_data(const struct imsg *, void *, size_t);
int	 imsg_get_fd(struct imsg *);	/* caller owns the fd afterwards */

/* msgbuf: the write side */
void	 msgbuf_init(struct msgbuf *);
int	 msgbuf_write(struct msgbuf *);	/* -1 error, 0 peer gone, 1 ok */
void	 msgbuf_clear(struct msgbuf *);
uint32_t msgbuf_queuelen(const struct msgbuf *);

/* ibuf: growable output buffers */
struct ibuf *ibuf_open(size_t);
struct ibuf *ibuf_dynamic(size_t, size_t);
int	 ibuf_add(struct ibuf *, const void *, size_t);
void	*ibuf_reserve(struct ibuf *, size_t);
size_t	 ibuf_size(const struct ibuf *);
void	 ibuf_close(struct msgbuf *, struct ibuf *);
void	 ibuf_free(struct ibuf *);

#endif /* I2PRD_IMSG_H */
