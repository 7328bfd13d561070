/*
 * ZIP archives as reseed files carry RouterInfos (the reseed.zipfile
 * and su3 content of i2pd and the Java router): reading every entry,
 * stored or deflated, bounds-checked and CRC-checked, and writing.
 */
#ifndef I2PRD_ZIP_H
#define I2PRD_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define ZIP_NAME_MAX	255

/* each entry's name (NUL-terminated) and inflated content; non-zero stops */
typedef int (*zip_cb)(void *, const char *, const uint8_t *, size_t);

/*
 * Walks the central directory; refuses archives with more than
 * max_entries entries or an entry inflating beyond max_size, ZIP64,
 * encryption, methods other than stored and deflate, entries that do
 * not match their local headers or CRC.  0, the callback's non-zero
 * value, or -1 with a reason.
 */
int	 zip_walk(const uint8_t *, size_t, size_t max_entries,
	    size_t max_size, zip_cb, void *, const char **why);

/* a writer: entries deflated, then the directory */
struct zip_writer {
	struct wbuf	*w;
	struct wbuf	 cd;		/* central directory so far */
	uint16_t	 n;
	int		 err;
};
int	 zip_begin(struct zip_writer *, struct wbuf *);
int	 zip_add(struct zip_writer *, const char *, const uint8_t *, size_t);
int	 zip_end(struct zip_writer *);

#endif /* I2PRD_ZIP_H */
