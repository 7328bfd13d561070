/*
 * STREAM FORWARD SSL=true (SAM 3.2): the socket the bridge opens to
 * the FORWARD's target speaks TLS, the bridge as the client.
 *
 * The target is the client's own server, named by an IP address, most
 * often on loopback: there is no name to check a certificate against
 * and no trust store inside tunneld's chroot, so the certificate is
 * not verified.  TLS here keeps the bytes from other eyes on the path
 * to the target; it does not prove who the target is.  TLS 1.2 at
 * least.
 *
 * Non-blocking: each call answers what the socket must wait for next
 * (c->tls_want, EV_READ or EV_WRITE) when it cannot go on.
 */
#include <errno.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "log.h"
#include "sam.h"

static SSL_CTX	*ctx;

static SSL_CTX *
tls_ctx(void)
{
	if (ctx != NULL)
		return ctx;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* a write may take part of the queue, which then moves up */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ctx;
}

int
sam_tls_start(struct sam_conn *c)
{
	SSL	*ssl;

	if (tls_ctx() == NULL || (ssl = SSL_new(ctx)) == NULL)
		return -1;
	if (SSL_set_fd(ssl, c->fd) != 1) {
		SSL_free(ssl);
		return -1;
	}
	SSL_set_connect_state(ssl);
	c->tls = ssl;
	c->tls_want = EV_WRITE;
	return 0;
}

/* after an SSL call's rv <= 0: 0 wait (tls_want set), -1 failed */
static int
tls_wait(struct sam_conn *c, int rv)
{
	switch (SSL_get_error(c->tls, rv)) {
	case SSL_ERROR_WANT_READ:
		c->tls_want = EV_READ;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		c->tls_want = EV_WRITE;
		return 0;
	default:
		ERR_clear_error();
		return -1;
	}
}

int
sam_tls_handshake(struct sam_conn *c)
{
	int	 rv;

	if ((rv = SSL_do_handshake(c->tls)) == 1) {
		c->tls_want = 0;
		return 1;
	}
	return tls_wait(c, rv);
}

/* like read(2): -1 with EAGAIN to wait, 0 at the end */
ssize_t
sam_tls_read(struct sam_conn *c, void *p, size_t len)
{
	int	 rv;

	c->tls_want = 0;
	if ((rv = SSL_read(c->tls, p, len)) > 0)
		return rv;
	if (SSL_get_error(c->tls, rv) == SSL_ERROR_ZERO_RETURN)
		return 0;
	if (tls_wait(c, rv) == 0) {
		errno = EAGAIN;
		return -1;
	}
	errno = EPROTO;
	return -1;
}

/* like write(2) */
ssize_t
sam_tls_write(struct sam_conn *c, const void *p, size_t len)
{
	int	 rv;

	c->tls_want = 0;
	if ((rv = SSL_write(c->tls, p, len)) > 0)
		return rv;
	if (tls_wait(c, rv) == 0) {
		errno = EAGAIN;
		return -1;
	}
	errno = EPIPE;
	return -1;
}

/* bytes TLS has decrypted that the socket will not announce again */
size_t
sam_tls_pending(const struct sam_conn *c)
{
	return c->tls != NULL ? (size_t)SSL_pending(c->tls) : 0;
}

/* the peer's end: close_notify, then the socket's write side */
void
sam_tls_shutdown(struct sam_conn *c)
{
	(void)SSL_shutdown(c->tls);
	ERR_clear_error();
}

void
sam_tls_free(struct sam_conn *c)
{
	if (c->tls == NULL)
		return;
	SSL_free(c->tls);
	c->tls = NULL;
}
