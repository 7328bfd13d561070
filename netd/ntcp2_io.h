/*
 * NTCP2's socket glue, private to the ntcp2_*.c files beneath the
 * session layer (netd.h): a session's TCP connection, its buffers and
 * events, and the handshake's steps.  The protocol itself, pure
 * functions over bytes, is ntcp2.h's.
 *
 *   ntcp2_ops.c     the transport_ops: dial, accept, probe, free
 *   ntcp2_listen.c  listening sockets, (re)bound on every reload
 *   ntcp2_conn.c    socket input and output buffers, read/write events
 *   ntcp2_hsio.c    Alice and Bob, with cryptod doing the static-key DH
 *   ntcp2_dataio.c  the data phase: frames and blocks in and out
 */
#ifndef I2PRD_NTCP2_IO_H
#define I2PRD_NTCP2_IO_H

#include "netd.h"

/* the handshake, while the session is in SS_HANDSHAKE */
enum ntcp2_step {
	N2_CONNECT,		/* Alice: TCP connect in progress */
	N2_A_MSG2,		/* Alice: message 1 sent, reading message 2 */
	N2_A_MSG2PAD,		/* Alice: reading message 2's padding */
	N2_A_DH,		/* Alice: cryptod computes "se" */
	N2_B_MSG1,		/* Bob: reading message 1 */
	N2_B_DH,		/* Bob: cryptod computes "es" */
	N2_B_MSG1PAD,		/* Bob: reading message 1's padding */
	N2_B_MSG3		/* Bob: message 2 sent, reading message 3 */
};

/* a session's TCP connection: s->tp */
struct ntcp2_conn {
	struct session		*s;
	TAILQ_ENTRY(ntcp2_conn)	 sentry;	/* stalled for routerd */
	enum ntcp2_step		 step;
	int			 fd;
	int			 stalled;	/* paused for routerd */
	int			 skew_logged;	/* its clock's skew, once */
	struct ntcp2_hs		*hs;
	struct ntcp2_remote	 remote;	/* Alice: the peer */
	struct ntcp2_session	 keys;		/* data phase */
	size_t			 need;		/* bytes wanted */
	/* input: bytes [inoff, inlen) of in are unprocessed */
	uint8_t			*in;
	size_t			 inoff, inlen, incap;
	size_t			 framelen;	/* 0: length */
	/* output: bytes [outoff, outlen) of out are unsent */
	uint8_t			*out;
	size_t			 outoff, outlen, outcap;
	struct event		 ev_read, ev_write;
	int			 rd_on, wr_on;
	size_t			 probe_left;
	uint64_t		 frames_in;
};

/* the connection of a session of NTCP2's */
#define NTCP2_CONN(s)	((struct ntcp2_conn *)(s)->tp)

/*
 * ntcp2_ops.c
 */
/* an accepted connection (fd is ours): a session, or fd closed */
void	 ntcp2_accept(int fd, const struct sockaddr_storage *);
/* Bob: answer a bad message 1 with silence, then close */
void	 ntcp2_probe(struct session *);
/* the handshake state is no longer needed: wiped and freed */
void	 ntcp2_hs_done(struct ntcp2_conn *);

/*
 * ntcp2_conn.c
 */
void	 conn_start(struct session *);		/* events on the fd */
void	 conn_stop(struct session *);
void	 conn_read_enable(struct session *, int);
/* there is output (or a connect to finish): arm the write event */
void	 conn_kick(struct session *);
/* room for need unprocessed bytes; -1 if out of memory */
int	 conn_in_reserve(struct session *, size_t);
/* wipes and frees the input buffer (it holds decrypted frames) */
void	 conn_in_free(struct ntcp2_conn *);
/* room for n more bytes of output; returns where they go, or NULL */
uint8_t	*conn_out_reserve(struct session *, size_t);
/* processes buffered input by state; -1 if the session was closed */
int	 conn_input(struct session *);
/* routerd caught up: resume sessions paused for it */
void	 conn_resume_stalled(void);

/*
 * ntcp2_hsio.c
 */
/* TCP is up (Alice) or accepted (Bob): begin */
int	 hs_alice_start(struct session *);
void	 hs_bob_start(struct session *);
/* handshake input in the session's step; -1 if closed */
int	 hs_input(struct session *);
/* cryptod's answers (ntcp2_ops) */
void	 hs_dh_result(struct session *, const uint8_t shared[32]);
void	 hs_dh_error(struct session *);
/* the step's name, for logs */
const char *hs_step_name(enum ntcp2_step);

/*
 * ntcp2_dataio.c
 */
/* frames in the input buffer; -1 if the session was closed */
int	 data_input(struct session *);
/* fills the output buffer with frames from the send queue */
int	 data_pump(struct session *);
/*
 * A termination block, then close once written (or after NETD_LINGER);
 * -1 if the session was closed at once.
 */
int	 data_terminate(struct session *, uint8_t reason, uint32_t down);
/* at exit: a termination frame written if the socket takes it now */
void	 data_goodbye(struct session *);

#endif /* I2PRD_NTCP2_IO_H */
