/*
 * What the proxy_http tests share: a destination made from a seed, its
 * base64, and a request head parsed from a string.
 */
#ifndef I2PRD_TESTS_PHTTP_H
#define I2PRD_TESTS_PHTTP_H

#include <check.h>
#include <string.h>

#include "../../tunneld/proxy_http.h"
#include "unit.h"

static inline void
phttp_test_dest(struct i2p_ident *id, char *b64, size_t b64sz,
    unsigned seed)
{
	uint8_t	x[32], sign[32], pad[32];

	unit_fill(x, sizeof(x), seed);
	unit_fill(sign, sizeof(sign), seed + 1);
	unit_fill(pad, sizeof(pad), seed + 2);
	ck_assert_int_eq(ident_build(id, IDENT_DEST, x, sign, pad), 0);
	if (b64 != NULL)
		ck_assert_int_gt(ident_to_b64(id, b64, b64sz), 0);
}

/* a request head that must parse */
static inline void
phttp_test_req(struct phttp_head *h, const char *s)
{
	struct phttp_err	e;

	ck_assert_msg(phttp_req_parse(s, strlen(s), h, &e) == PHTTP_OK,
	    "%s: %s", s, e.why ? e.why : "more");
}

#endif /* I2PRD_TESTS_PHTTP_H */
