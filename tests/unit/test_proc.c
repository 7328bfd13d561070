/*
 * The imsg type table (msgtab.c), the check every received message
 * passes (peer.c) and the process table (config.c).
 */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "unit.h"

static struct imsg
mk(uint32_t type, size_t len, int fd)
{
	struct imsg	imsg;

	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.type = type;
	imsg.hdr.len = IMSG_HEADER_SIZE + len;
	imsg.datalen = len;
	imsg.fd = fd;
	return imsg;
}

START_TEST(check_accepts_valid)
{
	struct imsg	i;

	i = mk(IMSG_PROC_INFO, sizeof(struct proc_info), -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_ROUTERD), 0);
	i = mk(IMSG_CTL_SHOW_SUMMARY, 0, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_CONTROL, PROC_ROUTERD), 0);
	i = mk(IMSG_SOCKET_CONN, sizeof(struct proc_link), 7);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_NETD), 0);
}
END_TEST

START_TEST(check_rejects_unknown_type)
{
	struct imsg	i = mk(IMSG_MAX + 5, 0, -1);

	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_NETD), -1);
	i = mk(IMSG_NONE, 0, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_NETD), -1);
}
END_TEST

START_TEST(check_rejects_wrong_sender_or_receiver)
{
	struct imsg	i;

	/* a control client may not push configuration */
	i = mk(IMSG_RECONF_DONE, 0, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_CONTROL, PROC_ROUTERD), -1);
	/* only routerd gets the control socket */
	i = mk(IMSG_CONTROL_FD, 0, 5);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_NETD), -1);
	/* a child may not hand out links */
	i = mk(IMSG_SOCKET_CONN, sizeof(struct proc_link), 5);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_ROUTERD, PROC_NETD), -1);
}
END_TEST

START_TEST(check_rejects_bad_length)
{
	struct imsg	i;

	i = mk(IMSG_PROC_INFO, sizeof(struct proc_info) - 1, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_ROUTERD), -1);
	i = mk(IMSG_PROC_INFO, sizeof(struct proc_info) + 1, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_ROUTERD), -1);
	i = mk(IMSG_CTL_END, 1, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_ROUTERD, PROC_CONTROL), -1);
}
END_TEST

START_TEST(check_rejects_fd_mismatch)
{
	struct imsg	i;

	i = mk(IMSG_SOCKET_CONN, sizeof(struct proc_link), -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_PARENT, PROC_NETD), -1);
	i = mk(IMSG_CTL_SHOW_SUMMARY, 0, 4);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_CONTROL, PROC_ROUTERD), -1);
}
END_TEST

/* every type in the enum has exactly one table entry */
START_TEST(msgtab_complete)
{
	uint32_t			 t;
	const struct msgtab_entry	*e;
	int				 n;

	for (t = IMSG_NONE + 1; t < IMSG_MAX; t++) {
		ck_assert_ptr_nonnull(msgtab_lookup(t));
		n = 0;
		for (e = msgtab; e->name != NULL; e++)
			if (e->type == t)
				n++;
		ck_assert_int_eq(n, 1);
	}
	for (e = msgtab; e->name != NULL; e++) {
		ck_assert_uint_le(e->minlen, e->maxlen);
		ck_assert_uint_ne(e->senders, 0);
		ck_assert_uint_ne(e->receivers, 0);
	}
	ck_assert_str_eq(imsg_type_name(IMSG_CTL_END), "CTL_END");
	ck_assert_str_eq(imsg_type_name(IMSG_MAX + 1), "unknown");
}
END_TEST

/*
 * Key custody: no message type may carry a private key; cryptod's
 * replies carry public keys, signatures and DH outputs only.  The
 * exceptions are exactly SAM's: a private key a client hands in (to
 * cryptod) or takes (from cryptod), between cryptod and tunneld only.
 */
START_TEST(msgtab_no_private_key)
{
	const struct msgtab_entry	*e;
	int				 n = 0;

	for (e = msgtab; e->name != NULL; e++) {
		if (e->type == IMSG_KEY_DEST_PRIV) {
			ck_assert(e->privkey);
			ck_assert_uint_eq(e->senders, PROC_BIT(PROC_CRYPTOD));
			ck_assert_uint_eq(e->receivers, PROC_BIT(PROC_TUNNELD));
			n++;
		} else if (e->type == IMSG_KEY_DEST_IMPORT) {
			ck_assert(e->privkey);
			ck_assert_uint_eq(e->senders, PROC_BIT(PROC_TUNNELD));
			ck_assert_uint_eq(e->receivers, PROC_BIT(PROC_CRYPTOD));
			n++;
		} else
			ck_assert_msg(!e->privkey, "%s carries a private key",
			    e->name);
	}
	ck_assert_int_eq(n, 2);
}
END_TEST

/* only cryptod answers key requests, and only key users ask */
START_TEST(msgtab_key_messages)
{
	const struct msgtab_entry	*e;

	for (e = msgtab; e->name != NULL; e++) {
		if (strncmp(e->name, "KEY_", 4) != 0)
			continue;
		ck_assert_msg(e->senders == PROC_BIT(PROC_CRYPTOD) ||
		    e->receivers == PROC_BIT(PROC_CRYPTOD),
		    "%s neither to nor from cryptod", e->name);
		ck_assert_msg(((e->senders | e->receivers) &
		    ~(PROC_BIT(PROC_CRYPTOD) | PROC_BIT(PROC_NETD) |
		    PROC_BIT(PROC_ROUTERD) | PROC_BIT(PROC_TUNNELD))) == 0,
		    "%s reaches the parent or a control client", e->name);
	}
}
END_TEST

/*
 * netd's key operations are the DH of its handshakes and signing peer
 * test data (cryptod checks the prologue, tests/cryptod): it may not ask
 * for router public keys, nor get their replies (audit #9)
 */
START_TEST(msgtab_netd_keys)
{
	struct imsg	i;

	i = mk(IMSG_KEY_SIGN, sizeof(struct key_sign_req) + 8, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_CRYPTOD), 0);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_ROUTERD, PROC_CRYPTOD), 0);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_TUNNELD, PROC_CRYPTOD), 0);
	i = mk(IMSG_KEY_SIGNATURE, sizeof(struct key_signature), -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_CRYPTOD, PROC_NETD), 0);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_CRYPTOD), -1);
	/* peer test results: netd's news for routerd alone, fixed size */
	i = mk(IMSG_NET_REACH, sizeof(struct net_reach), -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_ROUTERD), 0);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_TUNNELD, PROC_ROUTERD), -1);
	i = mk(IMSG_NET_REACH, sizeof(struct net_reach) + 1, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_ROUTERD), -1);
	i = mk(IMSG_KEY_ROUTER_PUB, 0, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_CRYPTOD), -1);
	i = mk(IMSG_KEY_NTCP2_PUB, 0, -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_CRYPTOD), -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_ROUTERD, PROC_CRYPTOD), 0);
	i = mk(IMSG_KEY_DH, sizeof(struct key_dh_req), -1);
	ck_assert_int_eq(proc_check_imsg(&i, PROC_NETD, PROC_CRYPTOD), 0);
}
END_TEST

/* links are symmetric and follow DESIGN.md's picture */
START_TEST(links_symmetric)
{
	int	a, b;

	for (a = PROC_CHILD_FIRST; a <= PROC_CHILD_LAST; a++) {
		ck_assert_uint_eq(proc_links(a) & PROC_BIT(a), 0);
		for (b = PROC_CHILD_FIRST; b <= PROC_CHILD_LAST; b++)
			ck_assert_int_eq(!!(proc_links(a) & PROC_BIT(b)),
			    !!(proc_links(b) & PROC_BIT(a)));
	}
	/* netd and tunneld never talk directly: client traffic via routerd */
	ck_assert_uint_eq(proc_links(PROC_NETD) & PROC_BIT(PROC_TUNNELD), 0);
	ck_assert_uint_eq(proc_links(PROC_PARENT), 0);
}
END_TEST

START_TEST(proc_names_and_dirs)
{
	ck_assert_str_eq(proc_progname(PROC_NETD), "i2prd-netd");
	ck_assert_str_eq(proc_dir(PROC_CRYPTOD), DIR_KEYS);
	ck_assert_str_eq(proc_dir(PROC_NETD), DIR_EMPTY);
	ck_assert_ptr_null(proc_dir(PROC_PARENT));
	ck_assert_str_eq(proc_name(PROC_MAX), "unknown");
}
END_TEST

START_TEST(conf_defaults)
{
	struct i2prd_conf	*c = conf_new();

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->statedir, I2PRD_STATEDIR);
	ck_assert_str_eq(c->user, I2PRD_USER);
	ck_assert_int_eq(c->netid, I2PRD_NETID_DEFAULT);
	ck_assert_int_eq(c->floodfill, 0);
	ck_assert_int_eq(c->log_level, LOG_INFO);
	ck_assert(TAILQ_EMPTY(&c->listen));
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("proc");
	TCase	*tc = tcase_create("core");

	log_init(1, LOG_DAEMON);
	log_setlevel(LOG_WARNING);
	tcase_add_test(tc, check_accepts_valid);
	tcase_add_test(tc, check_rejects_unknown_type);
	tcase_add_test(tc, check_rejects_wrong_sender_or_receiver);
	tcase_add_test(tc, check_rejects_bad_length);
	tcase_add_test(tc, check_rejects_fd_mismatch);
	tcase_add_test(tc, msgtab_complete);
	tcase_add_test(tc, msgtab_no_private_key);
	tcase_add_test(tc, msgtab_key_messages);
	tcase_add_test(tc, msgtab_netd_keys);
	tcase_add_test(tc, links_symmetric);
	tcase_add_test(tc, proc_names_and_dirs);
	tcase_add_test(tc, conf_defaults);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
