/*
 * RTT, RTO and the congestion window of one stream.
 *
 * RTT and RTO as RFC 6298 (alpha 1/8, beta 1/4, K 4) with the bounds
 * of streaming.html: RTO between 100 ms and 45 s, 9 s (or the
 * initial_rtt option's 9/8) before the first sample, samples over 60 s
 * taken as 60 s.  The caller takes samples only from packets sent once
 * (Karn).
 *
 * The window counts packets, as I2P's does: slow start adds one per
 * packet acknowledged up to ssthresh, congestion avoidance one per
 * window's worth; a fast retransmit halves it once per window (until
 * the packets sent before it are acknowledged), a timeout sets it to 1.
 * It may grow to the max_window option (SC_WINDOW_CAP at most): far
 * past the 128 of older routers, for long fat tunnels.
 *
 * Pacing spreads a window's packets over the smoothed RTT instead of
 * sending them in one burst, which tunnels with small queues drop.
 */
#include <string.h>

#include "stream_int.h"

/* packets sent back to back before pacing applies */
#define CC_BURST	4

void
cc_init(struct stream_cc *cc, const struct stream_opts *o)
{
	memset(cc, 0, sizeof(*cc));
	cc->max_window = o->max_window;
	cc->cwnd = o->initial_window;
	cc->ssthresh = o->max_window;
	if (o->initial_rtt > 0)
		cc->rto_base = o->initial_rtt + o->initial_rtt / 8;
	else
		cc->rto_base = SC_RTO_INIT;
	if (cc->rto_base < SC_RTO_MIN)
		cc->rto_base = SC_RTO_MIN;
	if (cc->rto_base > SC_RTO_MAX)
		cc->rto_base = SC_RTO_MAX;
}

/* RFC 6298's RTO from srtt and rttvar, within the bounds */
static uint32_t
cc_rto_of(uint32_t srtt, uint32_t rttvar)
{
	/* the clock's granularity G is 1 ms */
	uint32_t	 rto = srtt + (4 * rttvar > 1 ? 4 * rttvar : 1);

	if (rto < SC_RTO_MIN)
		rto = SC_RTO_MIN;
	if (rto > SC_RTO_MAX)
		rto = SC_RTO_MAX;
	return rto;
}

/*
 * A new stream to a peer whose path is known (stream_share.c): its RTT
 * as if measured, its window not below the initial one
 */
void
cc_share(struct stream_cc *cc, uint32_t srtt, uint32_t rttvar, uint32_t cwnd)
{
	cc->srtt = srtt;
	cc->rttvar = rttvar;
	cc->have_rtt = 1;
	cc->rto_base = cc_rto_of(srtt, rttvar);
	if (cwnd > cc->cwnd)
		cc->cwnd = cwnd < cc->max_window ? cwnd : cc->max_window;
}

static uint32_t
absdiff(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

void
cc_rtt_sample(struct stream_cc *cc, int64_t ms)
{
	uint32_t	 r;

	if (ms < 1)
		ms = 1;
	r = ms > SC_RTT_MAX ? SC_RTT_MAX : (uint32_t)ms;
	cc->samples++;
	if (!cc->have_rtt) {
		cc->srtt = r;
		cc->rttvar = r / 2;
		cc->have_rtt = 1;
	} else {
		cc->rttvar = (3 * cc->rttvar + absdiff(cc->srtt, r)) / 4;
		cc->srtt = (7 * cc->srtt + r) / 8;
	}
	cc->rto_base = cc_rto_of(cc->srtt, cc->rttvar);
	cc->backoff = 0;
}

/* the RTO with its exponential backoff */
uint32_t
cc_rto(const struct stream_cc *cc)
{
	uint64_t	 rto;

	rto = (uint64_t)cc->rto_base << (cc->backoff > 10 ? 10 : cc->backoff);
	return rto > SC_RTO_MAX ? SC_RTO_MAX : (uint32_t)rto;
}

/* n packets newly acknowledged, the highest of them seq */
void
cc_acked(struct stream_cc *cc, uint32_t n, uint32_t seq)
{
	if (cc->in_recovery && seq >= cc->recover)
		cc->in_recovery = 0;
	cc->backoff = 0;
	while (n-- > 0 && cc->cwnd < cc->max_window) {
		if (cc->cwnd < cc->ssthresh)
			cc->cwnd++;
		else if (++cc->ca_count >= cc->cwnd) {
			cc->cwnd++;
			cc->ca_count = 0;
		}
	}
}

static void
cc_halve(struct stream_cc *cc)
{
	cc->ssthresh = cc->cwnd / 2;
	if (cc->ssthresh < 2)
		cc->ssthresh = 2;
	cc->ca_count = 0;
}

void
cc_fast_loss(struct stream_cc *cc, uint32_t highest_sent)
{
	if (cc->in_recovery)
		return;
	cc_halve(cc);
	cc->cwnd = cc->ssthresh;
	cc->in_recovery = 1;
	cc->recover = highest_sent;
}

void
cc_timeout(struct stream_cc *cc)
{
	cc_halve(cc);
	cc->cwnd = 1;
	cc->in_recovery = 0;
	if (cc->backoff < 16)
		cc->backoff++;
}

static int64_t
cc_interval_us(const struct stream_cc *cc)
{
	if (!cc->have_rtt || cc->cwnd == 0)
		return 0;
	return (int64_t)cc->srtt * 1000 / cc->cwnd;
}

int
cc_pace_ok(const struct stream_cc *cc, int64_t now)
{
	return cc->pace_us <= now * 1000;
}

void
cc_paced(struct stream_cc *cc, int64_t now)
{
	int64_t	 iv, floor;

	if ((iv = cc_interval_us(cc)) == 0)
		return;
	/* idle time earns at most a short burst, not a window's worth */
	floor = now * 1000 - iv * (CC_BURST - 1);
	if (cc->pace_us < floor)
		cc->pace_us = floor;
	cc->pace_us += iv;
}

/* the ms at which the next paced packet may go */
int64_t
cc_pace_next(const struct stream_cc *cc)
{
	return (cc->pace_us + 999) / 1000;
}
