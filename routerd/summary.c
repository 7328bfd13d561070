/*
 * What "i2pctl show summary" reports, gathered from the configuration,
 * the parent's process table and our RouterInfo.
 */
#include <bsd/string.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "client.h"

static struct proc_info	 procinfo;

void
routerd_set_procinfo(const struct proc_info *pi)
{
	procinfo = *pi;
}

void
routerd_summary(struct ctl_summary *s)
{
	const struct i2prd_conf	*conf = child_conf();
	const struct router_info *ri;
	const char		*level;

	memset(s, 0, sizeof(*s));
	strlcpy(s->version, I2PRD_VERSION, sizeof(s->version));
	strlcpy(s->statedir, conf->statedir, sizeof(s->statedir));
	if ((level = log_levelname(log_getlevel())) == NULL)
		level = "unknown";
	strlcpy(s->log_level, level, sizeof(s->log_level));
	s->started = procinfo.started;
	s->now = time(NULL);
	s->netid = conf->netid;
	s->floodfill = conf->floodfill;
	s->generation = child_conf_generation();
	s->test_drop = conf->test_drop;
	loss_stats(&s->test_dropped_out, &s->test_dropped_in);
	if ((ri = publish_current()) != NULL) {
		b64_encode(s->router_hash, sizeof(s->router_hash),
		    ri->ident.hash, sizeof(ri->ident.hash));
		strlcpy(s->caps, mapping_get(&ri->options, "caps"),
		    sizeof(s->caps));
	}
}

int
routerd_procs(struct ctl_proc *procs, int max)
{
	int	i, n = 0;

	for (i = PROC_PARENT; i <= PROC_CHILD_LAST && n < max; i++) {
		memset(&procs[n], 0, sizeof(procs[n]));
		strlcpy(procs[n].name, proc_name(i), sizeof(procs[n].name));
		procs[n].pid = procinfo.pids[i];
		n++;
	}
	return n;
}


int64_t
routerd_started(void)
{
	return procinfo.started;
}
