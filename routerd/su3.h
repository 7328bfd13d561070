/*
 * su3 files (updates.rst, "SU3 File Specification"): the signed
 * container reseed servers serve.  Parsing, the header of the files we
 * write, and the set of trusted signers with which a file's signature
 * is checked.
 */
#ifndef I2PRD_SU3_H
#define I2PRD_SU3_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SU3_MAGIC		"I2Psu3"
#define SU3_HEADER_LEN		40
#define SU3_SIG_RSA4096		6	/* RSA-SHA512-4096, all the network uses */
#define SU3_SIGLEN_RSA4096	512
#define SU3_FILE_ZIP		0
#define SU3_CONTENT_RESEED	3
#define SU3_VERSION_MIN		16	/* version field bytes, at least */
#define SU3_SIGNER_MAX		255	/* a one-byte length */

struct su3 {
	uint16_t	 sigtype;
	uint8_t		 filetype;
	uint8_t		 contenttype;
	char		 version[256];	/* NUL padding removed */
	char		 signer[SU3_SIGNER_MAX + 1];
	const uint8_t	*content;
	size_t		 contentlen;
	const uint8_t	*sig;
	size_t		 siglen;
	size_t		 signedlen;	/* from byte 0 through the content */
};

/*
 * Parses a whole su3 file; the pointers point into it.  Refuses a
 * truncated file, trailing bytes, non-zero reserved fields, a signature
 * length that does not match its type, a short version.  -1 with why.
 */
int	 su3_parse(struct su3 *, const uint8_t *, size_t, const char **why);

/* the header, version (padded to 16) and signer of a reseed file */
int	 su3_put_header(struct wbuf *, const char *version, const char *signer,
	    uint64_t contentlen);

/*
 * Trusted signers, replaced as a whole: begin, add each certificate
 * (PEM), commit.  A certificate that does not parse, has no CN, is not
 * RSA-4096 or is outside its validity period is skipped with a reason.
 */
void	 su3_signers_begin(void);
int	 su3_signers_add(const uint8_t *pem, size_t len, const char **why);
void	 su3_signers_commit(void);
size_t	 su3_signers_count(void);
void	 su3_signers_free(void);

/* 0 if the file's signer is trusted and its signature verifies */
int	 su3_verify(const struct su3 *, const uint8_t *file, const char **why);

/* the same, against the signer's certificate given here (PEM) */
int	 su3_verify_pem(const struct su3 *, const uint8_t *file,
	    const uint8_t *pem, size_t, const char **why);

#endif /* I2PRD_SU3_H */
