/*
 * What every unit test program shares: run one suite, exit non-zero if
 * any test failed.
 */
#ifndef I2PRD_TESTS_UNIT_H
#define I2PRD_TESTS_UNIT_H

#include <check.h>
#include <stdlib.h>

#include "crypto.h"

static inline int
unit_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* the same for suites that need the crypto library set up first */
static inline int
unit_run_crypto(Suite *s)
{
	if (crypto_init() == -1)
		return EXIT_FAILURE;
	return unit_run(s);
}

#endif /* I2PRD_TESTS_UNIT_H */
