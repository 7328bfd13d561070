/*
 * The I2CP payload format: what travels between destinations in an
 * I2NP Data message (i2np.rst "Data": a 4-byte length, then that many
 * bytes; i2cp.rst "Payload").  The bytes are one gzip member (RFC 1952)
 * whose header carries I2P's multiplexing (protocol/i2cp.html "I2CP
 * Payload Data Format and Multiplexing"):
 *
 *	bytes 0-2	1f 8b 08 (gzip magic, deflate)
 *	byte 3		gzip flags
 *	bytes 4-5	source port, big-endian (gzip mtime)
 *	bytes 6-7	destination port, big-endian (gzip mtime)
 *	byte 8		gzip extra flags: we write 2, as Java does
 *	byte 9		protocol: 6 streaming, 17 datagram, 18 raw (gzip OS)
 *
 * Used by tunneld's datagrams now and its streaming later.  Pure
 * functions of their input except for one deflate stream kept between
 * calls (setting one up costs some 256 KiB of allocations), so not for
 * threads.
 */
#ifndef I2PRD_I2CPDATA_H
#define I2PRD_I2CPDATA_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define I2CP_PROTO_ANY		0
#define I2CP_PROTO_STREAMING	6
#define I2CP_PROTO_DATAGRAM	17	/* Datagram1, repliable */
#define I2CP_PROTO_RAW		18

/*
 * Payload bytes either way.  An I2NP message holds at most 64 KB, so
 * nothing larger can arrive; on receipt this also bounds what a small
 * compressed message (a gzip bomb) can make us write.  One stored
 * deflate block holds this much, which is what i2pd 2.45.1 reads
 * without zlib (it takes the first stored block as the whole payload).
 */
#define I2CPDATA_MAX		65535
/* the 10-byte gzip header, one stored block's 5, the 8-byte trailer */
#define I2CPDATA_GZIP_OVERHEAD	(10 + 5 + 8)
/* a whole stored Data message body: the length, then the member */
#define I2CPDATA_STORED_LEN(n)	(4 + I2CPDATA_GZIP_OVERHEAD + (n))

/*
 * How the payload goes into the gzip member.  STORE is cheapest and
 * right for data that does not compress (encrypted, already
 * compressed); COMPRESS (zlib level 1) is worth it whenever a
 * Destination travels inside, i.e. repliable datagrams and streaming
 * SYNs, since a Destination's padding is one 32-byte block repeated
 * (proposal 161) and the spec recommends compressing them.
 */
enum i2cpdata_mode {
	I2CPDATA_STORE,
	I2CPDATA_COMPRESS
};

struct i2cpdata_hdr {
	uint16_t	 src_port;
	uint16_t	 dst_port;
	uint8_t		 proto;		/* I2CP_PROTO_* */
};

/* one piece of the payload, so that callers need not concatenate */
struct i2cpdata_part {
	const void	*data;
	size_t		 len;
};

enum i2cpdata_errcode {
	I2CPD_OK = 0,
	I2CPD_TRUNCATED,	/* shorter than its length or its gzip member */
	I2CPD_TRAILING,		/* bytes after the length's, or the member's */
	I2CPD_HEADER,		/* no gzip magic, not deflate, reserved flags */
	I2CPD_HCRC,		/* the header CRC (flag FHCRC) does not match */
	I2CPD_DEFLATE,		/* invalid deflate data */
	I2CPD_TOO_LARGE,	/* inflates (or, built, is) beyond the limit */
	I2CPD_CRC,		/* trailer CRC-32 does not match the data */
	I2CPD_ISIZE,		/* trailer size does not match the data */
	I2CPD_NOSPACE,		/* build: the output buffer is full */
	I2CPD_INTERNAL,		/* zlib could not be set up */
	I2CPD_MAX
};

const char	*i2cpdata_strerror(int);

/*
 * Appends a Data message body (length, gzip member) holding the parts
 * in order, at most I2CPDATA_MAX bytes in all.  0, or -1 with *err set
 * (err may be NULL); after -1 the buffer holds a partial body: drop it.
 */
int	 i2cpdata_build(struct wbuf *, const struct i2cpdata_hdr *,
	    enum i2cpdata_mode, const struct i2cpdata_part *, size_t nparts,
	    int *err);

/*
 * Parses a Data message body: the length must cover the rest exactly,
 * the rest must be one gzip member (any valid one: optional header
 * fields, stored or compressed blocks) with nothing after it, inflating
 * to at most outsz and at most I2CPDATA_MAX bytes, its CRC-32 and size
 * matching.  The payload goes to out, its length to *outlen.  0, or -1
 * with *err set (err may be NULL); out is then undefined.
 */
int	 i2cpdata_parse(struct i2cpdata_hdr *, const uint8_t *, size_t,
	    uint8_t *out, size_t outsz, size_t *outlen, int *err);

#endif /* I2PRD_I2CPDATA_H */
