/*
 * stream_pkt.c: the streaming protocol's packet (streaming.rst "Packet
 * Format"), read and written.  Pure code: no state, no I/O, no keys.
 *
 * A packet travels as the payload of an I2CP Data message with protocol
 * 6 (common/i2cpdata.h); the ports are the I2CP header's, not the
 * packet's.
 *
 *	sendStreamId 4, receiveStreamId 4, sequenceNum 4, ackThrough 4,
 *	NACK count 1, NACKs 4 each, resendDelay 1, flags 2,
 *	option size 2, option data, payload
 *
 * Options come in the order of the flag bits that announce them:
 * DELAY_REQUESTED (2 bytes), FROM_INCLUDED (a Destination),
 * MAX_PACKET_SIZE_INCLUDED (2), OFFLINE_SIGNATURE (expires 4,
 * transient sigtype 2, transient key, the Destination's signature of
 * them), SIGNATURE_INCLUDED (as long as the signer's signature type
 * says).  A signature covers the whole packet with its own bytes
 * zeroed, so the reader needs the signer's Destination to know where
 * the signature is: FROM in the same packet, or given by the caller.
 *
 * Proposal 164: a SYN's NACK field carries 8 "NACKs", the 32-byte hash
 * of the destination it is sent to, so that a SYN replayed to another
 * destination is refused (Java sends and checks it from 0.9.58; i2pd
 * 2.45.1 neither sends nor checks it: its SYNs have no NACKs).
 */
#ifndef I2PRD_TUNNELD_STREAM_PKT_H
#define I2PRD_TUNNELD_STREAM_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "i2pdata.h"

/* flags, bit 0 the least significant (streaming.rst "Flags") */
#define SPF_SYNCHRONIZE			0x0001
#define SPF_CLOSE			0x0002
#define SPF_RESET			0x0004
#define SPF_SIGNATURE_INCLUDED		0x0008
#define SPF_SIGNATURE_REQUESTED		0x0010
#define SPF_FROM_INCLUDED		0x0020
#define SPF_DELAY_REQUESTED		0x0040
#define SPF_MAX_PACKET_SIZE_INCLUDED	0x0080
#define SPF_PROFILE_INTERACTIVE		0x0100
#define SPF_ECHO			0x0200
#define SPF_NO_ACK			0x0400
#define SPF_OFFLINE_SIGNATURE		0x0800

#define SP_HEADER_MIN		22	/* no NACKs, no options */
#define SP_NACKS_MAX		255
#define SP_SYN_NACKS		8	/* proposal 164: 32 bytes, a hash */
#define SP_CHOKE_DELAY		60001	/* resendDelay option: "choked" */
/*
 * The longest packet read (and so verified): i2pd's MAX_PACKET_SIZE.
 * 255 NACKs, a P-521 Destination, an offline block and 1812 bytes of
 * payload take less.
 */
#define SP_PACKET_MAX		4096

struct stream_pkt {
	uint32_t		 send_id;	/* the receiver's stream id */
	uint32_t		 recv_id;	/* the sender's */
	uint32_t		 seq;
	uint32_t		 ack_through;
	uint8_t			 nnacks;
	uint32_t		 nacks[SP_NACKS_MAX];
	uint8_t			 resend_delay;
	uint16_t		 flags;
	/* options, each valid when its flag is set */
	uint16_t		 delay;		/* DELAY_REQUESTED, ms */
	struct i2p_ident	 from;		/* FROM_INCLUDED */
	uint16_t		 mtu;		/* MAX_PACKET_SIZE_INCLUDED */
	uint32_t		 off_expires;	/* OFFLINE_SIGNATURE */
	struct i2p_ident	 off_transient;	/* its key, as ident_signer */
	const uint8_t		*sig;		/* SIGNATURE_INCLUDED */
	size_t			 siglen;
	size_t			 sig_off;	/* where sig is in the packet */
	const uint8_t		*payload;	/* into the parsed bytes */
	size_t			 len;
};

/*
 * Reads a packet from buf (len bytes); pkt->payload and pkt->sig point
 * into buf.  signer is the Destination whose signature type sizes the
 * SIGNATURE option when the packet carries no FROM (NULL: a signature
 * without FROM is then refused).  Structure only: stream_pkt_verify
 * checks the signature.  -1 with I2PE_TRUNCATED, I2PE_FIELD (option
 * size not what the flags say, a signature with no signer, NACK count
 * over what the bytes hold), the identity's errors.
 */
int	 stream_pkt_parse(struct stream_pkt *, const uint8_t *buf, size_t len,
	    const struct i2p_ident *signer, struct i2p_err *);

/*
 * 0 if the packet's signature is the signer's (FROM if present, else
 * signer; through the offline key when OFFLINE_SIGNATURE is set, after
 * checking the Destination's signature of that key and that it has not
 * expired at now), over the packet bytes with the signature zeroed.
 * buf and len are the bytes stream_pkt_parse read; now is in seconds
 * since the epoch (the offline signature's expiry), not stream.h's
 * milliseconds.  -1 with I2PE_SIGNATURE, I2PE_FIELD (no signature, no
 * signer), I2PE_EXPIRED (the offline key).
 */
int	 stream_pkt_verify(const struct stream_pkt *, const uint8_t *buf,
	    size_t len, const struct i2p_ident *signer, uint32_t now,
	    struct i2p_err *);

/*
 * Appends a packet.  With SIGNATURE_INCLUDED set, siglen zero bytes are
 * written where the signature goes (pkt->sig is ignored) and *sig_off
 * gets their offset in the buffer: sign the packet's bytes as written,
 * then stream_pkt_put_sig.  FROM is written from pkt->from.raw.
 * OFFLINE_SIGNATURE is never written (our destinations have none).
 * -1 with I2PE_TOO_LARGE when the buffer is full, I2PE_ARG for a NACK
 * count over SP_NACKS_MAX.
 */
int	 stream_pkt_build(struct wbuf *, const struct stream_pkt *,
	    size_t siglen, size_t *sig_off, struct i2p_err *);
void	 stream_pkt_put_sig(uint8_t *pkt, size_t sig_off, const uint8_t *sig,
	    size_t siglen);

/* proposal 164: the SYN's NACKs as a hash, and back */
void	 stream_pkt_set_syn_hash(struct stream_pkt *, const uint8_t h[32]);
/* 0 if the SYN's NACKs are h (or there are none: older peers) */
int	 stream_pkt_check_syn_hash(const struct stream_pkt *,
	    const uint8_t h[32]);

#endif /* I2PRD_TUNNELD_STREAM_PKT_H */
