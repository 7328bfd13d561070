/*
 * What the SAM bridge's tests share: client connections without a
 * socket (fd -1: replies are read from the output queue) and a
 * listener on loopback for FORWARD targets.
 */
#ifndef I2PRD_TESTS_SAMTEST_H
#define I2PRD_TESTS_SAMTEST_H

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <string.h>
#include <unistd.h>

#include "../../tunneld/sam.h"

/* a client from ip, port 40000, come at now; NULL if a limit refuses */
static inline struct sam_conn *
sam_test_conn(const char *ip, int64_t now)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	inet_pton(AF_INET, ip, &sin->sin_addr);
	return sam_conn_new(-1, &ss, now);
}

/* short names: every test line uses them */
static inline void
in(struct sam_conn *c, const char *s)
{
	sam_conn_input(c, s, strlen(s));
}

/* what was written to the client since the last call */
static inline const char *
out(struct sam_conn *c)
{
	static char	 buf[SAM_OUTQ_MAX + 1];
	size_t		 n = wbuf_len(&c->out);

	memcpy(buf, wbuf_data(&c->out), n);
	buf[n] = '\0';
	c->out.len = 0;
	return buf;
}

/* a socket bound to 127.0.0.1 on a port of the system's, in *port */
static inline int
sam_test_bound(int type, uint16_t *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(fd = socket(AF_INET, type, 0), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* a TCP listener on 127.0.0.1, its port in *port */
static inline int
sam_test_listener(uint16_t *port)
{
	int	 fd = sam_test_bound(SOCK_STREAM, port);

	ck_assert_int_eq(listen(fd, 256), 0);
	return fd;
}

#endif /* I2PRD_TESTS_SAMTEST_H */
