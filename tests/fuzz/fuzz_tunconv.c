/*
 * libFuzzer target: i2prd -T, the tunnels.conf reader and converter
 * (i2prd/tunini.c, i2prd/tunconv.c), over the bytes as a file.
 *
 * Beyond not crashing, what is printed must stay what i2prd.conf and a
 * terminal can take whatever the input: no control character but the
 * line end and the tab, and every line a comment, a destination line
 * opening a block, a tunnel line inside one, or the block's end.  The
 * warnings on stderr go to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../i2prd/tunconv.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static FILE	*devnull;
static int	 errfd = 2;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

static void
die(const char *what, const char *out)
{
	dprintf(errfd, "fuzz_tunconv: %s\noutput:\n%s", what, out);
	abort();
}

/* one line of the output (without its LF), in or out of a block */
static void
check_line(const char *line, size_t len, int *inblock, const char *out)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (((unsigned char)line[i] < 0x20 && line[i] != '\t') ||
		    line[i] == 0x7f)
			die("control character printed", out);
	if (len == 0 || line[0] == '#')
		return;
	if (strncmp(line, "destination \"", 13) == 0 && !*inblock &&
	    line[len - 1] == '{') {
		*inblock = 1;
		return;
	}
	if (len == 1 && line[0] == '}' && *inblock) {
		*inblock = 0;
		return;
	}
	if (line[0] == '\t' && *inblock)
		return;
	die("a line that is no comment, block or tunnel", out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*out = NULL;
	size_t	 len = 0, pos, n;
	FILE	*f;
	int	 inblock = 0;

	/* a line at a time; longer inputs only cost time */
	if (size > 256 * 1024)
		return 0;
	if ((f = open_memstream(&out, &len)) == NULL)
		abort();
	(void)tunconv_buf(data, size, "tunnels.conf", f, devnull);
	if (fclose(f) != 0)
		abort();
	for (pos = 0; pos < len; pos += n + 1) {
		n = strcspn(out + pos, "\n");
		if (pos + n == len)
			die("output does not end in a line end", out);
		if (out[pos + n] == '\0')
			die("NUL printed", out);
		check_line(out + pos, n, &inblock, out);
	}
	if (inblock)
		die("a block left open", out);
	free(out);
	return 0;
}
