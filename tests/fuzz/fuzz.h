/*
 * What the fuzz targets share.
 */
#ifndef I2PRD_FUZZ_H
#define I2PRD_FUZZ_H

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * stderr as it is before libFuzzer's -close_fd_mask closes it, for the
 * targets' own reports
 */
static inline int
fuzz_stderr(void)
{
	int	fd;

	if ((fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)) == -1)
		fd = STDERR_FILENO;
	return fd;
}

/* the initializer of targets that need nothing set up */
#define FUZZ_INIT_DEFAULT						\
int	LLVMFuzzerInitialize(int *, char ***);				\
int									\
LLVMFuzzerInitialize(int *argc, char ***argv)				\
{									\
	(void)argc;							\
	(void)argv;							\
	(void)fuzz_stderr();						\
	return 0;							\
}

/* open fds of this process, to catch leaks between inputs */
static inline int
fuzz_count_fds(void)
{
	DIR	*d;
	int	 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		abort();
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

#endif /* I2PRD_FUZZ_H */
