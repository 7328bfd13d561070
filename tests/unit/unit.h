/*
 * What every unit test program shares: run one suite, exit non-zero if
 * any test failed.
 */
#ifndef I2PRD_TESTS_UNIT_H
#define I2PRD_TESTS_UNIT_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
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

/* n bytes of test data from seed: the same every run, not compressible */
static inline void
unit_fill(uint8_t *p, size_t n, unsigned seed)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

/* a file's bytes, at most sz of them; the test fails if it is missing */
static inline size_t
unit_load(const char *path, uint8_t *buf, size_t sz)
{
	FILE	*f;
	size_t	 n;

	ck_assert_msg((f = fopen(path, "rb")) != NULL, "%s", path);
	n = fread(buf, 1, sz, f);
	fclose(f);
	return n;
}

#endif /* I2PRD_TESTS_UNIT_H */
