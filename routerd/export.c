/*
 * i2pctl reseed export FILE: an su3 reseed file from our netDb, for an
 * operator who serves reseeds or a private network that bootstraps from
 * one.  The ZIP holds our RouterInfo and, sampled at random up to
 * EXPORT_MAX, every fresh RouterInfo with an NTCP2 address a new router
 * can dial.  cryptod signs the SHA-512 of header and ZIP with the
 * reseed key (made on the first export) and returns its certificate,
 * against which the file is checked before it is written: what we hand
 * out must verify as a reader will verify it.
 *
 * i2pctl opens FILE with its user's rights and passes the descriptor;
 * it must be a regular file, so a FIFO cannot stall routerd.  One export
 * runs at a time.  i2pctl reseed certificate prints the certificate.
 */
#include <sys/stat.h>

#include <bsd/string.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "su3.h"
#include "zip.h"

#define EXPORT_MAX		200	/* RouterInfos besides ours */
#define EXPORT_FRESH_MS		(3ULL * 24 * 3600 * 1000)
#define EXPORT_BUF_MAX		(8 * 1024 * 1024)

static struct {
	int		 busy;
	int		 fd;		/* -1: "reseed certificate" */
	uint32_t	 connid;	/* the client waiting */
	uint32_t	 reqid;
	struct wbuf	 file;		/* header and ZIP */
	size_t		 count;
	char		 signer[RESEED_SIGNER_MAX + 1];
} ex = { .fd = -1 };

static uint32_t	next_reqid;

struct sample {
	const struct ri_entry	*pick[EXPORT_MAX];
	size_t			 n, seen;
	uint64_t		 now;
	const uint8_t		*self;
};

/* reservoir sampling: each eligible router equally likely */
static void
sample_one(const struct ri_entry *e, void *arg)
{
	struct sample	*s = arg;
	uint32_t	 r;

	if (!netdb_dialable(e) || e->published + EXPORT_FRESH_MS < s->now ||
	    (s->self != NULL && memcmp(e->hash, s->self, 32) == 0))
		return;
	if (s->n < EXPORT_MAX) {
		s->pick[s->n++] = e;
		s->seen++;
		return;
	}
	crypto_random_fill(&r, sizeof(r));
	if ((r % ++s->seen) < EXPORT_MAX)
		s->pick[r % EXPORT_MAX] = e;
}

static int
zip_ri(struct zip_writer *z, const uint8_t hash[32], const uint8_t *raw,
    size_t len)
{
	char	name[ZIP_NAME_MAX + 1], b64[B64_ENCLEN(32)];

	b64_encode(b64, sizeof(b64), hash, 32);
	snprintf(name, sizeof(name), "routerInfo-%s.dat", b64);
	return zip_add(z, name, raw, len);
}

/* our RouterInfo and the sample, zipped; how many, or -1 */
static int
build_zip(struct wbuf *w)
{
	const struct router_info	*self = publish_current();
	struct zip_writer		 z;
	struct sample			*s;
	size_t				 i;
	int				 n = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->now = (uint64_t)time(NULL) * 1000;
	s->self = self != NULL ? self->ident.hash : NULL;
	netdb_foreach(sample_one, s);
	if (zip_begin(&z, w) == -1) {
		free(s);
		return -1;
	}
	if (self != NULL && zip_ri(&z, self->ident.hash, self->raw,
	    self->rawlen) == 0)
		n++;
	for (i = 0; i < s->n; i++, n++)
		zip_ri(&z, s->pick[i]->hash, s->pick[i]->raw,
		    s->pick[i]->rawlen);
	if (zip_end(&z) == -1)		/* any failure above shows here */
		n = -1;
	free(s);
	return n;
}

/* the configured signer ID, or one of ours from the router hash */
static void
signer_id(char *out, size_t len)
{
	const struct i2prd_conf		*conf = child_conf();
	const struct router_info	*self = publish_current();
	char				 b32[B32_ENCLEN(32)];

	if (conf != NULL && conf->reseed_signer[0] != '\0') {
		strlcpy(out, conf->reseed_signer, len);
		return;
	}
	b32_encode(b32, sizeof(b32), self->ident.hash, 32);
	snprintf(out, len, "i2prd-%.10s", b32);
}

static void
finish(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
finish(int code, const char *fmt, ...)
{
	va_list	ap;
	char	msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (code == 0)
		log_info("%s", msg);
	else
		log_warnx("%s", msg);
	control_result(ex.connid, code, msg);
	if (ex.fd != -1)
		close(ex.fd);
	wbuf_free(&ex.file);
	ex.busy = 0;
	ex.fd = -1;
}

static void
ask_cryptod(int sign)
{
	struct peer		*cryptod = peer_get(PROC_CRYPTOD);
	struct key_reseed_req	 req;
	unsigned int		 dlen;

	memset(&req, 0, sizeof(req));
	strlcpy(req.signer, ex.signer, sizeof(req.signer));
	req.sign = sign;
	if (sign && EVP_Digest(wbuf_data(&ex.file), wbuf_len(&ex.file),
	    req.digest, &dlen, EVP_sha512(), NULL) != 1) {
		finish(1, "reseed export failed: cannot hash the file");
		return;
	}
	ex.reqid = EXPORT_REQID | (next_reqid++ & ~EXPORT_REQID);
	if (cryptod == NULL || peer_compose(cryptod, IMSG_KEY_RESEED_SIGN,
	    ex.reqid, -1, &req, sizeof(req)) == -1)
		finish(1, "reseed export failed: cannot reach cryptod");
}

/* a new request; 0 if it could start, else the client has its answer */
static int
begin(uint32_t connid, int fd)
{
	if (ex.busy) {
		control_result(connid, 1, "reseed export already running");
		if (fd != -1)
			close(fd);
		return -1;
	}
	memset(&ex.file, 0, sizeof(ex.file));
	ex.busy = 1;
	ex.connid = connid;
	ex.fd = fd;
	if (publish_current() == NULL) {
		finish(1, "reseed export failed: no RouterInfo of ours yet");
		return -1;
	}
	signer_id(ex.signer, sizeof(ex.signer));
	return 0;
}

void
export_start(uint32_t connid, int fd)
{
	struct wbuf	 zip;
	struct stat	 st;
	char		 version[32];
	int		 n;

	if (begin(connid, fd) == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		finish(1, "reseed export failed: not a regular file");
		return;
	}
	if (wbuf_init_dynamic(&zip, 64 * 1024, EXPORT_BUF_MAX) == -1 ||
	    (n = build_zip(&zip)) == -1 ||
	    wbuf_init_dynamic(&ex.file, wbuf_len(&zip) + 512,
	    EXPORT_BUF_MAX) == -1) {
		wbuf_free(&zip);
		finish(1, "reseed export failed: out of memory");
		return;
	}
	ex.count = n;
	snprintf(version, sizeof(version), "%lld", (long long)time(NULL));
	if (su3_put_header(&ex.file, version, ex.signer, wbuf_len(&zip)) ==
	    -1 || wbuf_put_bytes(&ex.file, wbuf_data(&zip), wbuf_len(&zip)) ==
	    -1) {
		wbuf_free(&zip);
		finish(1, "reseed export failed: out of memory");
		return;
	}
	wbuf_free(&zip);
	ask_cryptod(1);
}

void
export_cert(uint32_t connid)
{
	if (begin(connid, -1) == 0)
		ask_cryptod(0);
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t	n;

	for (; len > 0; p += n, len -= n)
		if ((n = write(fd, p, len)) <= 0)
			return -1;
	return 0;
}

/* the signature: check it against the certificate, then write */
static void
export_signed(const struct key_reseed *rep, const uint8_t *pem,
    size_t pemlen)
{
	struct su3	 s;
	const char	*why;

	if (wbuf_put_bytes(&ex.file, rep->sig, sizeof(rep->sig)) == -1) {
		finish(1, "reseed export failed: out of memory");
		return;
	}
	if (su3_parse(&s, wbuf_data(&ex.file), wbuf_len(&ex.file), &why) ==
	    -1 || su3_verify_pem(&s, wbuf_data(&ex.file), pem, pemlen,
	    &why) == -1) {
		finish(1, "reseed export failed: our own file does not verify: "
		    "%s", why);
		return;
	}
	if (ftruncate(ex.fd, 0) == -1 || write_all(ex.fd, wbuf_data(&ex.file),
	    wbuf_len(&ex.file)) == -1 || fsync(ex.fd) == -1) {
		finish(1, "reseed export failed: cannot write the file");
		return;
	}
	finish(0, "reseed export: %zu RouterInfos, %zu bytes, signed by %s; "
	    "readers need its certificate (i2pctl reseed certificate)",
	    ex.count, wbuf_len(&ex.file), ex.signer);
}

/* cryptod's answer to an export or certificate request */
void
export_dispatch_cryptod(struct imsg *imsg)
{
	struct key_reseed	 rep;
	struct key_error	 e;
	const uint8_t		*pem;
	size_t			 pemlen;

	if (!ex.busy || imsg_get_peerid(imsg) != ex.reqid)
		return;			/* a client long gone */
	if (imsg_get_type(imsg) == IMSG_KEY_ERROR) {
		if (imsg_get_data(imsg, &e, sizeof(e)) == -1 ||
		    memchr(e.msg, '\0', sizeof(e.msg)) == NULL)
			fatalx("KEY_ERROR: malformed");
		finish(1, "reseed export failed: cryptod: %s", e.msg);
		return;
	}
	if (imsg_get_type(imsg) != IMSG_KEY_RESEED ||
	    imsg->datalen <= sizeof(rep)) {
		finish(1, "reseed export failed: unexpected reply from cryptod");
		return;
	}
	memcpy(&rep, imsg->data, sizeof(rep));
	pem = (const uint8_t *)imsg->data + sizeof(rep);
	pemlen = imsg->datalen - sizeof(rep);
	if (ex.fd != -1) {
		export_signed(&rep, pem, pemlen);
		return;
	}
	control_pem(ex.connid, pem, pemlen);
	ex.busy = 0;
}
