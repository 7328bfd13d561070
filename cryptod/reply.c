/*
 * cryptod's refusals: KEY_ERROR echoing the request id, shared by the
 * dispatcher (cryptod.c) and SAM's keys (samkeys.c).
 */
#include <bsd/string.h>
#include <string.h>

#include "cryptod.h"
#include "log.h"

void
reply_error(struct peer *p, uint32_t reqid, uint32_t keyid,
    enum key_errcode code, const char *msg)
{
	struct key_error	e;

	memset(&e, 0, sizeof(e));
	e.keyid = keyid;
	e.code = code;
	strlcpy(e.msg, msg, sizeof(e.msg));
	log_debug("request %u from %s refused: %s", reqid, proc_name(p->id),
	    msg);
	peer_compose(p, IMSG_KEY_ERROR, reqid, -1, &e, sizeof(e));
}
