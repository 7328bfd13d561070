/*
 * What sessions carry for routerd, whatever their transport.  Up: the
 * I2NP messages of everything read in one go travel to routerd as one
 * NET_I2NP_IN batch per router, and the RouterInfos peers send as
 * NET_PEER_RI.  Down: routerd's NET_I2NP_OUT batches go into the
 * router's session queue (a dial's, or the established session's; a
 * router we talked to lately is dialed again), and the transport is
 * told there is something to send.
 */
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "netbatch.h"
#include "netd.h"

/* the batch going up to routerd: net_peer, then length + message */
static uint8_t		 batch[MAX_IMSGSIZE_NET];
static struct wbuf	 batchw;
static int		 batch_open;

void
session_i2np_flush(void)
{
	if (batch_open && wbuf_len(&batchw) > sizeof(struct net_peer))
		netd_send(PROC_ROUTERD, IMSG_NET_I2NP_IN, 0, wbuf_data(&batchw),
		    wbuf_len(&batchw));
	batch_open = 0;
}

void
session_i2np_in(struct session *s, const uint8_t *msg, size_t len)
{
	if (batch_open && (memcmp(batch, s->hash, sizeof(s->hash)) != 0 ||
	    wbuf_len(&batchw) + 2 + len > sizeof(batch)))
		session_i2np_flush();
	if (!batch_open) {
		wbuf_init_fixed(&batchw, batch, sizeof(batch));
		wbuf_put_bytes(&batchw, s->hash, sizeof(s->hash));
		batch_open = 1;
	}
	wbuf_put_u16(&batchw, len);
	wbuf_put_bytes(&batchw, msg, len);
	s->msgs_in++;
}

void
session_peer_ri(struct session *s, const uint8_t *ri, size_t len)
{
	uint8_t		 buf[sizeof(struct net_peer) + NET_RI_MAX];
	struct dial_target t;
	struct wbuf	 w;

	if (len == 0 || len > NET_RI_MAX) {
		log_debug("session %s: RouterInfo of %zu bytes ignored",
		    session_name(s), len);
		return;
	}
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, s->hash, sizeof(s->hash));
	wbuf_put_bytes(&w, ri, len);
	netd_send(PROC_ROUTERD, IMSG_NET_PEER_RI, 0, wbuf_data(&w),
	    wbuf_len(&w));
	/* a router that dialed us: where to dial it back if need be */
	if (riaddr_dial(ri, len, &t) == 0 && memcmp(t.hash, s->hash, 32) == 0)
		session_remember(&t);
}

/* IMSG_NET_I2NP_OUT: net_peer, then (u16 length, message) records */
void
session_i2np_out(const uint8_t *data, size_t len)
{
	struct rbuf	 r;
	struct session	*s;
	const uint8_t	*msg;
	uint8_t		 hash[32];
	uint32_t	 now = time(NULL);
	size_t		 mlen, dropped = 0;
	int		 more;

	if (netbatch_begin(&r, data, len, hash) == -1)
		fatalx("NET_I2NP_OUT: short");
	s = session_by_hash(hash);
	/* a dial's queue, or an established session's; not a closing one */
	if (s != NULL && s->state == SS_CLOSING)
		s = NULL;
	else if (s == NULL)
		s = session_redial(hash);
	while ((more = netbatch_next(&r, &msg, &mlen)) == 1) {
		if (mlen > NETD_I2NP_MAX)
			fatalx("NET_I2NP_OUT: message too large from routerd");
		if (s == NULL || msgq_push(&s->sendq, msg, mlen, now) == -1)
			dropped++;
	}
	if (more == -1)
		fatalx("NET_I2NP_OUT: malformed batch from routerd");
	if (dropped > 0)
		log_debug("NET_I2NP_OUT: %zu messages dropped (%s)", dropped,
		    s == NULL ? "no session or dial" : "queue full or expired");
	if (s != NULL && s->state == SS_ESTABLISHED)
		s->ops->kick(s);
}
