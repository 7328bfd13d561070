/*
 * Process plumbing shared by the children (and, for message checks, by
 * the parent and i2pctl): imsg links driven by libevent, the check every
 * received message passes before dispatch, and the child start-up
 * sequence (log, chroot, drop privileges, event loop, sandbox).
 */
#ifndef I2PRD_PROC_H
#define I2PRD_PROC_H

#include <event.h>

#include "imsg.h"
#include "i2prd.h"

/* pause reading from a peer while this many messages wait to be written */
#define PEER_QUEUE_HIGH		1024
#define PEER_QUEUE_LOW		256

struct peer;
typedef void	(*peer_dispatch_fn)(struct peer *, struct imsg *);
typedef void	(*peer_closed_fn)(struct peer *);

/* one imsg link to another process (or a control client) */
struct peer {
	struct imsgbuf		 ibuf;
	struct event		 ev;
	short			 events;
	int			 paused;	/* reading paused (flow control) */
	int			 closing;	/* set by a dispatcher: drop it */
	enum proc_id		 id;		/* who is at the other end */
	enum proc_id		 self;
	uint32_t		 connid;	/* control connections only */
	peer_dispatch_fn	 dispatch;
	peer_closed_fn		 closed;	/* EOF or error; NULL: fatal */
	void			*arg;
};

/*
 * 0 if the message's type is known, may be sent by `from' to `self', has
 * an allowed payload length and carries an fd exactly when it must;
 * otherwise logs why and returns -1.
 */
int	 proc_check_imsg(const struct imsg *, enum proc_id from,
	    enum proc_id self);

void	 peer_init(struct peer *, int fd, enum proc_id self, enum proc_id id,
	    peer_dispatch_fn, peer_closed_fn, void *);
void	 peer_close(struct peer *);
int	 peer_compose(struct peer *, uint32_t type, uint32_t peerid, int fd,
	    const void *, size_t);
/* re-arm the event after queueing messages outside a callback */
void	 peer_event_update(struct peer *);
/* the link to a process, NULL if not (yet) connected */
struct peer *peer_get(enum proc_id);
/* register/unregister a link in the table peer_get reads */
void	 peer_register(struct peer *);
/* from now on, every PEER_TRIM_SECS: idle memory goes back (peer.c) */
void	 peers_trim_start(void);

/* what a child knows from its command line */
struct child_env {
	enum proc_id	 self;
	int		 foreground;
	int		 verbose;
	const char	*user;
	const char	*statedir;
	int		 root;		/* 1: chrooted and privileges dropped */
};

/*
 * The start-up sequence of every child, up to and including the
 * event loop; `setup' runs after privileges are dropped and before the
 * sandbox, to open whatever the process needs; `dispatch' gets every
 * checked message from the parent not handled by the common code.
 */
struct child_ops {
	void	(*setup)(struct child_env *);
	void	(*dispatch_parent)(struct peer *, struct imsg *);
	void	(*dispatch_peer)(struct peer *, struct imsg *);
	void	(*reconf)(const struct i2prd_conf *);	/* new config in place */
	void	(*shutdown)(void);
	void	(*sandbox)(void);
	/*
	 * OpenSSL's error strings (about 60 kB of heap): only a process
	 * that prints OpenSSL's errors (netd: TLS to reseed servers) wants
	 * them.
	 */
	int	  errstrings;
};
int	 child_main(enum proc_id, int, char **, const struct child_ops *);
/* the configuration in force in this child (never NULL after start) */
const struct i2prd_conf *child_conf(void);
uint32_t child_conf_generation(void);

/* sandbox.c: one seccomp allowlist per process; fatal on failure */
void	 sandbox_netd(void);
void	 sandbox_cryptod(void);
void	 sandbox_routerd(void);
void	 sandbox_tunneld(void);
/* the filter as pseudo filter code (seccomp_export_pfc), not loaded */
void	 sandbox_export(enum proc_id, int);

#endif /* I2PRD_PROC_H */
