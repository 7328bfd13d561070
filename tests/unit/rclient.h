/*
 * routerd's clients in the unit tests: tunneld's destinations as
 * routerd knows them, opened with IMSG_POOL_OPEN's handler (no tunnels
 * are built while tunnels_start has not run).
 */
#ifndef I2PRD_TESTS_RCLIENT_H
#define I2PRD_TESTS_RCLIENT_H

#include <stdio.h>
#include <string.h>

#include "i2pdata.h"
#include "../../routerd/routerd.h"

/* dest: its destination's hash, or NULL for bytes of id */
static inline void
rclient_open(uint32_t id, const uint8_t *dest)
{
	struct pool_open	po;

	memset(&po, 0, sizeof(po));
	po.client = id;
	if (dest != NULL)
		memcpy(po.dest, dest, 32);
	else
		memset(po.dest, id, 32);
	snprintf(po.name, sizeof(po.name), "c%u", id);
	po.length[0] = po.length[1] = 2;
	po.quantity[0] = po.quantity[1] = 2;
	tunnels_pool_open(&po);
}

#endif /* I2PRD_TESTS_RCLIENT_H */
