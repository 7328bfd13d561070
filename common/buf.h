/*
 * The one bounds-checked buffer reader and writer.  Every parser of
 * network or IPC input in i2prd reads through struct rbuf; every
 * serializer writes through struct wbuf.  No other code does pointer
 * arithmetic on wire bytes.
 *
 * Errors are sticky: after the first failed call every later call on the
 * same buffer fails too, so a parser can chain reads and test once
 * (rbuf_error or the return of the last call).  All functions return 0 on
 * success and -1 on failure.  Multi-byte integers are big-endian (network
 * order, as I2P uses) unless the name ends in "le".
 */
#ifndef I2PRD_BUF_H
#define I2PRD_BUF_H

#include <stddef.h>
#include <stdint.h>

struct rbuf {
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	int		 err;
};

void	 rbuf_init(struct rbuf *, const void *, size_t);
size_t	 rbuf_left(const struct rbuf *);
int	 rbuf_error(const struct rbuf *);
/* 0 if no error happened and every byte was consumed, else -1 */
int	 rbuf_end(struct rbuf *);

int	 rbuf_get_u8(struct rbuf *, uint8_t *);
int	 rbuf_get_u16(struct rbuf *, uint16_t *);
int	 rbuf_get_u32(struct rbuf *, uint32_t *);
int	 rbuf_get_u64(struct rbuf *, uint64_t *);
int	 rbuf_get_u16le(struct rbuf *, uint16_t *);
int	 rbuf_get_u32le(struct rbuf *, uint32_t *);
int	 rbuf_get_u64le(struct rbuf *, uint64_t *);
/* copy n bytes out */
int	 rbuf_get_bytes(struct rbuf *, void *, size_t);
/* point at the next n bytes without copying; valid while data lives */
int	 rbuf_get_ptr(struct rbuf *, const uint8_t **, size_t);
int	 rbuf_skip(struct rbuf *, size_t);
/* sub-reader over the next n bytes; the parent advances past them */
int	 rbuf_sub(struct rbuf *, struct rbuf *, size_t);
/*
 * I2P String: one length byte, then that many bytes.  Copied into dst
 * NUL-terminated; fails if it does not fit in dstsz or holds a NUL.
 */
int	 rbuf_get_str8(struct rbuf *, char *, size_t);
/*
 * A fixed-size field of n bytes that must hold a NUL-terminated string
 * (IPC structs).  Fails if no NUL is found within n bytes or n > dstsz.
 */
int	 rbuf_get_cstr(struct rbuf *, char *, size_t, size_t);

struct wbuf {
	uint8_t		*data;
	size_t		 cap;
	size_t		 len;
	size_t		 max;	/* growth limit of a dynamic buffer */
	int		 err;
	int		 dynamic;
};

/* over caller memory; never grows */
void	 wbuf_init_fixed(struct wbuf *, void *, size_t);
/* heap memory growing as needed up to max bytes */
int	 wbuf_init_dynamic(struct wbuf *, size_t, size_t);
/* frees a dynamic buffer's memory (after wiping it) */
void	 wbuf_free(struct wbuf *);
int	 wbuf_error(const struct wbuf *);
size_t	 wbuf_len(const struct wbuf *);
/* bytes that can still be written: to cap, or to max if dynamic */
size_t	 wbuf_room(const struct wbuf *);
const uint8_t *wbuf_data(const struct wbuf *);

int	 wbuf_put_u8(struct wbuf *, uint8_t);
int	 wbuf_put_u16(struct wbuf *, uint16_t);
int	 wbuf_put_u32(struct wbuf *, uint32_t);
int	 wbuf_put_u64(struct wbuf *, uint64_t);
int	 wbuf_put_u16le(struct wbuf *, uint16_t);
int	 wbuf_put_u32le(struct wbuf *, uint32_t);
int	 wbuf_put_u64le(struct wbuf *, uint64_t);
int	 wbuf_put_bytes(struct wbuf *, const void *, size_t);
int	 wbuf_put_zero(struct wbuf *, size_t);
/* I2P String: fails if longer than 255 bytes */
int	 wbuf_put_str8(struct wbuf *, const char *);
/* reserve n bytes to fill in later; *off gets their offset */
int	 wbuf_reserve(struct wbuf *, size_t, size_t *);
/* overwrite already written bytes (e.g. a length reserved earlier) */
int	 wbuf_set_u16(struct wbuf *, size_t, uint16_t);
int	 wbuf_set_u32(struct wbuf *, size_t, uint32_t);

#endif /* I2PRD_BUF_H */
