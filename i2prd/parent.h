/*
 * The parent process: configuration, children, supervision.
 */
#ifndef I2PRD_PARENT_H
#define I2PRD_PARENT_H

#include "proc.h"

struct child {
	enum proc_id	 id;
	pid_t		 pid;
	struct peer	 peer;
	int		 ready;		/* CHILD_READY received */
	int		 acked;		/* config generation acked */
};

/* i2prd.c */
extern struct i2prd_conf	*parent_conf;
extern uint32_t			 parent_generation;
int	 parent_reload(char *, size_t);	/* 0 ok, 1 refused; text in buf */
void	 parent_log_verbose(int);
void	 parent_startup_complete(void);
void	 parent_child_lost(struct child *, int status);

/* children.c */
void	 children_start(const char *, int foreground, int verbose);
void	 children_links(void);
void	 children_send_conf(const struct i2prd_conf *, uint32_t);
void	 children_send_control(int, const struct proc_info *);
void	 children_broadcast(uint32_t, const void *, size_t);
/* closes each link in stop order and waits for each child; */
void	 children_stop(void);
struct child *child_by_pid(pid_t);
int	 children_reap(void);
int	 children_all_ready(void);
pid_t	 child_pid(enum proc_id);
struct peer *child_peer(enum proc_id);

/* reseed.c */
void	 children_send_certs(const char *dir);
void	 children_send_reseed(const struct i2prd_conf *);
void	 parent_reseed_request(const struct reseed_req *);

/* resolve.c: a host name looked up by an unprivileged child */
struct listen_msg;
typedef void (*resolve_cb)(void *, const struct listen_msg *, uint32_t n,
    const char *why);
/* -1 if one is under way or no child could be made; cb gets the rest */
int	 resolve_start(const char *user, const char *host, unsigned port,
	    resolve_cb, void *);
void	 resolve_shutdown(void);

#endif /* I2PRD_PARENT_H */
