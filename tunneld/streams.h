/*
 * streams.c: each local destination's streams (stream.c) joined to the
 * rest of tunneld.  A destination gets a stream host the first time an
 * application wants streams on it (a SAM STREAM session, a tunnel);
 * its packets go out through destio (protocol 6), its SYN, CLOSE and
 * RESET are signed by cryptod through kreq, packets from destio come
 * in, and one timer of the event loop runs every host's resends and
 * timeouts.  Incoming streams go to the application through
 * streams_app_ops.
 *
 * Hosts are bounded by the destinations (DESTS_RUN_MAX); streams by
 * stream.c's limits per host and in all.
 */
#ifndef I2PRD_TUNNELD_STREAMS_H
#define I2PRD_TUNNELD_STREAMS_H

#include <stdint.h>

#include "stream.h"

struct streams_app_ops {
	/*
	 * An incoming stream for the destination keyid: 0 if taken (the
	 * application called stream_set_app), -1 to refuse it.
	 */
	int	(*incoming)(uint32_t keyid, struct stream *);
	/* the next timer deadline changed: call streams_run then */
	void	(*schedule)(int64_t at_ms);
};

void	 streams_init(const struct streams_app_ops *);
/* a monotonic clock in milliseconds, what stream.c runs on */
int64_t	 streams_now(void);
/*
 * The destination's stream host, made with opts on first use (later
 * calls return it as it is); NULL if the destination has no key or
 * io yet, or there is no room.
 */
struct stream_host *streams_host(uint32_t keyid, const struct stream_opts *);
/* the destination's stream host if it has one, else NULL; makes none */
struct stream_host *streams_find(uint32_t keyid);
/* the destination goes: its streams go, without events */
void	 streams_drop(uint32_t keyid);
/*
 * The destination closes: its open streams are reset, the RESETs
 * signed before cryptod is told to forget the key; how many.  Its host
 * stays (streams_drop) until streams_signing says they are out.
 */
int	 streams_reset_all(uint32_t keyid);
int	 streams_signing(uint32_t keyid);
/* destio_stream_cb: a streaming packet for the destination keyid */
void	 streams_input(uint32_t keyid, const uint8_t *pkt, size_t len,
	    uint16_t src_port, uint16_t dst_port, const uint8_t *from);
/* the timer: every host's due work, then the next deadline asked for */
void	 streams_run(void);
/* after an application's read, write or close: deadlines may move */
void	 streams_kick(void);

#endif /* I2PRD_TUNNELD_STREAMS_H */
