/*
 * tunneld's datagrams (datagrams.rst): what an I2CP payload
 * (common/i2cpdata.h) carries with protocol 17 or 18.  dgram.c is pure
 * code: it builds and reads the bytes; sending, receiving and signing
 * are the caller's.
 *
 * Datagram1, repliable (protocol 17): the sender's Destination, its
 * Signature, the payload.  The signature covers the payload itself,
 * except for DSA_SHA1 senders, whose signature covers the SHA-256 of the
 * payload (datagrams.rst "Datagram1"; i2pd 2.45.1 Datagram.cpp signs
 * and verifies the same way, Ed25519 over the plain payload).  Signing
 * is cryptod's, so sending is two steps: dgram1_tosign gives the bytes
 * for an IMSG_KEY_SIGN request, dgram1_build puts the signature in.
 *
 * Raw (protocol 18): the payload alone, neither repliable nor
 * authenticated.
 *
 * Datagram2 and Datagram3 (protocols 19, 20; API 0.9.66) are absent:
 * i2pd 2.45.1 has neither.
 */
#ifndef I2PRD_TUNNELD_DGRAM_H
#define I2PRD_TUNNELD_DGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "i2cpdata.h"
#include "i2pdata.h"

/*
 * A datagram inflated, header and all, at most: i2pd 2.45.1 inflates
 * datagrams into MAX_DATAGRAM_SIZE (32768) bytes and drops larger ones.
 */
#define DGRAM_MAX		32768
/*
 * Payload we send, at most (samv3.html "Sending Repliable or Raw
 * Datagrams", "SAM Anonymous (Raw) Datagrams"): 31744 bytes in a
 * repliable datagram, leaving 1 KB for the Destination and Signature
 * within DGRAM_MAX; 32768 in a raw one.  SAM's minimum of 1 byte is
 * the SAM bridge's to enforce: an empty datagram is valid here.
 */
#define DGRAM1_PAYLOAD_MAX	31744
#define DGRAM_RAW_PAYLOAD_MAX	DGRAM_MAX

struct dgram {
	uint8_t			 proto;		/* I2CP_PROTO_DATAGRAM, _RAW */
	uint16_t		 src_port;
	uint16_t		 dst_port;
	/* repliable: the sender, its signature checked */
	struct i2p_ident	 from;
	const uint8_t		*payload;	/* into the parsed buffer */
	size_t			 len;
};

/*
 * What from's key signs for a repliable datagram of that payload:
 * *msg and *msglen point at the payload itself, or for a DSA_SHA1
 * sender at digest, which gets the payload's SHA-256.  -1 (I2PE_ARG)
 * if the payload is over DGRAM1_PAYLOAD_MAX.
 */
int	 dgram1_tosign(const struct i2p_ident *from, const uint8_t *payload,
	    size_t len, uint8_t digest[SHA256_LEN], const uint8_t **msg,
	    size_t *msglen, struct i2p_err *);

/*
 * Appends the Data message body (i2cpdata_build, compressed: a
 * Destination's padding compresses) of a repliable datagram from
 * `from`, with sig (ident_siglen(from) bytes) over dgram1_tosign's
 * bytes.  The signature is not checked here: sign with from's key.
 * -1 with I2PE_ARG for a wrong signature length or payload size,
 * I2PE_TOO_LARGE when the buffer is full; the buffer then holds a
 * partial body.
 */
int	 dgram1_build(struct wbuf *, uint16_t src_port, uint16_t dst_port,
	    const struct i2p_ident *from, const uint8_t *sig, size_t siglen,
	    const uint8_t *payload, size_t len, struct i2p_err *);

/*
 * The same for a raw datagram, stored or compressed as the caller
 * judges the payload (already compressed or encrypted data is better
 * stored).
 */
int	 dgram_raw_build(struct wbuf *, uint16_t src_port, uint16_t dst_port,
	    enum i2cpdata_mode, const uint8_t *payload, size_t len,
	    struct i2p_err *);

/*
 * A datagram from an I2CP payload that i2cpdata_parse read (h) and
 * inflated (buf, len): for protocol 17 the sender's Destination (every
 * signature type ident_verify checks) and its signature, which must
 * verify; for 18 the payload as it is.  d->payload points into buf.
 * -1 with I2PE_FIELD for another protocol, I2PE_TOO_LARGE over
 * DGRAM_MAX, I2PE_TRUNCATED, the identity's errors, I2PE_SIGNATURE.
 */
int	 dgram_parse(struct dgram *, const struct i2cpdata_hdr *h,
	    const uint8_t *buf, size_t len, struct i2p_err *);

#endif /* I2PRD_TUNNELD_DGRAM_H */
