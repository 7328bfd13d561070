/*
 * routerd: I2NP, the netDb, tunnels, and the control socket.
 */
#ifndef I2PRD_ROUTERD_H
#define I2PRD_ROUTERD_H

#include "proc.h"

/* routerd.c */
void	 routerd_summary(struct ctl_summary *);
/* fills up to PROC_MAX entries; returns how many */
int	 routerd_procs(struct ctl_proc *, int);

/* publish.c */
struct router_info;
void	 publish_start(void);
void	 publish_reconf(const struct i2prd_conf *);
void	 publish_dispatch_cryptod(struct imsg *);
void	 publish_shutdown(void);
/* our signed RouterInfo, NULL until the first is published */
const struct router_info *publish_current(void);

/* control.c */
#define CONTROL_MAX_CLIENTS	32
void	 control_listen(int);
void	 control_shutdown(void);
/* a reply from the parent to the client numbered imsg peerid */
void	 control_relay(struct imsg *);

#endif /* I2PRD_ROUTERD_H */
