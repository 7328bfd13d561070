/*
 * The SOCKS proxy's protocol (RFC 1928 SOCKS 5, RFC 1929 username and
 * password, SOCKS 4 and its 4a extension): pure code over bytes.  The
 * engine owns the socket; it feeds what the client sent to
 * socks_input, writes back what lands in the reply buffer, and once the
 * request is complete it opens the stream to socks_target and answers
 * with socks_reply.
 *
 * Only CONNECT is offered: BIND and UDP ASSOCIATE make no sense over an
 * I2P stream (i2pd 2.45.1 offers CONNECT alone as well) and are answered
 * "command not supported".
 *
 * Bounds: each message of the negotiation (greeting, authentication,
 * request) must fit in SOCKS_MSG_MAX bytes, the largest legal SOCKS 5
 * message being 513 bytes (RFC 1929 with two 255-byte fields); a
 * SOCKS 4 user id and 4a host name share the same bound.  The state is
 * a fixed-size struct: nothing a client sends grows memory.
 *
 * A client may pipeline (send the next message, or stream data, before
 * reading our reply): the state machine goes on with what it holds, and
 * bytes after a complete request are left to the stream (see
 * socks_input's used).
 */
#ifndef I2PRD_TUNNELD_PROXY_SOCKS_H
#define I2PRD_TUNNELD_PROXY_SOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SOCKS_MSG_MAX		600
/* a user name or password (RFC 1929), a host name (RFC 1928 DOMAINNAME) */
#define SOCKS_FIELD_MAX		255
/* the largest reply we write: SOCKS 5 with an IPv4 bound address */
#define SOCKS_REPLY_MAX		10
/*
 * room socks_input needs in its output buffer: a method selection, an
 * authentication status and a request's reply, all due in one call when
 * the client pipelines
 */
#define SOCKS_OUT_MIN		(2 + 2 + SOCKS_REPLY_MAX)

/* socks_input's answer */
enum socks_res {
	SOCKS_MORE,	/* write the reply bytes, wait for more input */
	SOCKS_DONE,	/* the target is known; connect, then socks_reply */
	SOCKS_CLOSE	/* write the reply bytes (if any), then close */
};

/* reply codes, as RFC 1928 numbers them; SOCKS 4 maps them to 0x5A/0x5B */
enum socks_status {
	SOCKS_OK		= 0x00,
	SOCKS_FAILURE		= 0x01,	/* general SOCKS server failure */
	SOCKS_NOT_ALLOWED	= 0x02,	/* connection not allowed by ruleset */
	SOCKS_NET_UNREACH	= 0x03,
	SOCKS_HOST_UNREACH	= 0x04,
	SOCKS_REFUSED		= 0x05,
	SOCKS_TTL_EXPIRED	= 0x06,	/* also our timeout */
	SOCKS_CMD_UNSUPP	= 0x07,
	SOCKS_ATYP_UNSUPP	= 0x08
};

#define SOCKS4_GRANTED		0x5a
#define SOCKS4_REJECTED		0x5b

enum socks_atyp {
	SOCKS_ATYP_IPV4		= 0x01,
	SOCKS_ATYP_NAME		= 0x03,
	SOCKS_ATYP_IPV6		= 0x04
};

/* why a negotiation failed, for the engine's log and counters */
enum socks_err {
	SOCKS_E_NONE = 0,
	SOCKS_E_VERSION,	/* neither 4 nor 5, or a bad sub-version */
	SOCKS_E_TOOLONG,	/* a message over SOCKS_MSG_MAX */
	SOCKS_E_METHOD,		/* no acceptable authentication method */
	SOCKS_E_AUTH,		/* wrong user name or password */
	SOCKS_E_COMMAND,	/* BIND, UDP ASSOCIATE or unknown */
	SOCKS_E_ATYP,		/* an unknown address type */
	SOCKS_E_MALFORMED,	/* a bad field: reserved byte, empty name, ... */
	SOCKS_E_STATE		/* input after the negotiation ended */
};

/* the proxy's configuration: no user means no authentication */
struct socks_auth {
	const char	*user;
	const char	*pass;
};

struct socks_target {
	int		 version;	/* 4 or 5 */
	enum socks_atyp	 atyp;
	/* a host name in lower case, or an address as text */
	char		 host[SOCKS_FIELD_MAX + 1];
	uint16_t	 port;
	/* a .i2p name; anything else goes to an outproxy or is refused */
	int		 i2p;
	/* the SOCKS 4 user id, for the log only */
	char		 userid[SOCKS_FIELD_MAX + 1];
};

struct socks {
	int			 state;
	const struct socks_auth	*auth;
	uint8_t			 buf[SOCKS_MSG_MAX];
	size_t			 len;
	struct socks_target	 target;
	enum socks_err		 err;
};

/* a fresh connection; auth may be NULL, and must outlive s */
void	socks_init(struct socks *, const struct socks_auth *);
/* wipes what a client sent (it may hold a password) */
void	socks_clear(struct socks *);
/*
 * Takes len bytes the client sent and appends the replies due to out
 * (at least SOCKS_OUT_MIN bytes of room, else SOCKS_CLOSE).  *used
 * says how many of the len bytes the negotiation took: on SOCKS_DONE
 * the rest, data + *used to data + len, belongs to the stream.
 */
enum socks_res socks_input(struct socks *, const uint8_t *, size_t,
	    struct wbuf *, size_t *);
/* the target of a negotiation that returned SOCKS_DONE, else NULL */
const struct socks_target *socks_target(const struct socks *);
/*
 * The answer to a request, once the engine knows how the connection
 * went: SOCKS_OK or one of the failure codes (SOCKS 4 gets 0x5A for
 * SOCKS_OK and 0x5B for every failure).  -1 if there was no request.
 */
int	socks_reply(const struct socks *, enum socks_status, struct wbuf *);
/* the reply for an outproxy's HTTP status to our CONNECT */
enum socks_status socks_outproxy_status(int http_status);
/* 1 for a host name ending in .i2p (case-insensitive), else 0 */
int	socks_is_i2p(const char *);
const char *socks_strerror(enum socks_err);

#endif /* I2PRD_TUNNELD_PROXY_SOCKS_H */
