/*
 * A router of the tests' own, made of the NTCP2 core (netd/ntcp2_hs.c,
 * ntcp2_data.c): an identity and a signed RouterInfo, dialing, Alice's
 * side of the handshake with the static-key DH done in-process, and
 * frames; Bob's side too, for routers that dial us.  The interop probes and the network benchmark drive live
 * routers (i2pd, i2prd) with it, inside a network namespace only.
 */
#ifndef TESTPEER_H
#define TESTPEER_H

#include <stddef.h>
#include <stdint.h>

#include "i2pdata.h"
#include "../../netd/ntcp2.h"
#include "../../netd/ssu2.h"

struct sockaddr_in;

#define TP_NETID	99

struct tp_me {
	uint8_t			 seed[32], sign_pub[32];
	uint8_t			 enc_priv[32], enc_pub[32];
	uint8_t			 s_priv[32];
	struct ntcp2_local	 local;
	uint8_t			 ri[RI_MAXLEN];
};

/* where Alice's handshake stopped, for the probes' reports */
enum tp_step {
	TP_DONE = 0,
	TP_MSG1,	/* message 1 not sent */
	TP_MSG2,	/* message 2 did not come or did not decrypt */
	TP_MSG3		/* message 3 not sent */
};

/* sizes of what went over the wire, for the probes' reports */
struct tp_sizes {
	size_t	msg1, msg2, msg3;
};

/* a RouterInfo file, parsed and its signature checked; NULL if not */
struct router_info *tp_ri_load(const char *path);
/* the peer's hash, "s", "i", host and port from a RouterInfo file */
int	 tp_remote_load(const char *path, struct ntcp2_remote *,
	    char *host, size_t hostsz, unsigned *port);
/* "s", "i" and the IPv4 endpoint of a RouterInfo file's SSU2 address */
int	 tp_ssu2_remote_load(const char *path, struct ssu2_remote *,
	    struct sockaddr_in *);
/* the X25519 key of a RouterInfo file's identity (build records) */
int	 tp_remote_crypto(const char *path, uint8_t pub[32]);
/* a fresh router on network TP_NETID with an NTCP2 address addr:port */
int	 tp_me_make(struct tp_me *, const char *addr, unsigned port);
/* the same with the caps given ("LR" above; "LU": not reachable) */
int	 tp_me_make_caps(struct tp_me *, const char *addr, unsigned port,
	    const char *caps);
/* the same with an SSU2 address (intro key given; "s" is local's) */
int	 tp_me_make_ssu2(struct tp_me *, const char *addr, unsigned port,
	    const uint8_t intro[32]);
/* TCP connection from `from' (NULL: any) to host:port, or -1 */
int	 tp_dial(const char *from, const char *host, unsigned port);
/* a listening TCP socket on addr:port, or -1 */
int	 tp_listen(const char *addr, unsigned port);
/* all n bytes or -1; a peer quiet for timeout_ms fails the read */
int	 tp_read_full(int fd, uint8_t *, size_t n, int timeout_ms);
int	 tp_write_full(int fd, const uint8_t *, size_t n);
/* Alice's handshake on a connected fd; TP_DONE fills the session */
enum tp_step tp_alice(int fd, const struct tp_me *,
	    const struct ntcp2_remote *, struct ntcp2_session *,
	    struct tp_sizes *);
/* Bob's handshake on an accepted fd; 0 fills the session, else -1 */
int	 tp_bob(int fd, const struct tp_me *, struct ntcp2_session *);
/* the next frame, opened in buf (NTCP2_FRAME_MAX); plaintext length */
int	 tp_read_frame(int fd, struct ntcp2_session *, uint8_t *buf,
	    size_t *plen, int timeout_ms);
/*
 * Frames until an I2NP message of that type (whose body begins with
 * want_id, if nonzero: a DeliveryStatus's) that fits in out: its body
 * into out, its length and message ID; -1 if none came in time.
 */
int	 tp_wait_i2np(int fd, struct ntcp2_session *, uint8_t type,
	    uint32_t want_id, int timeout_ms, uint8_t *out, size_t outsz,
	    size_t *outlen, uint32_t *msg_id);
/* one I2NP message (short header, random ID) in a frame of its own */
int	 tp_send_i2np(int fd, struct ntcp2_session *, uint8_t type,
	    const uint8_t *payload, size_t len);
/* a frame with a Termination block (reason), then close */
void	 tp_goodbye(int fd, struct ntcp2_session *, int reason);

#endif
