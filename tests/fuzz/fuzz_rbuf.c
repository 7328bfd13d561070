/*
 * libFuzzer target: the buffer reader (struct rbuf, common/buf.c) run as
 * a small interpreter.  Byte 0 of the input is the length of the program
 * that follows it; the rest of the input is the data the program reads.
 * Each program byte is one call on the innermost reader of a stack of
 * sub-readers (rbuf_sub pushes, an op pops), with its size argument, if
 * any, taken from the next program byte.
 *
 * Every call is checked against a model of the reader kept here: the
 * return value, the bytes or value read, where the reader stands and its
 * error flag.  So beyond the sanitizers: off <= len always, rbuf_left is
 * len - off, a call fails exactly when it should, a failure sets the
 * error and moves nothing, the error is sticky, and a sub-reader covers
 * exactly the bytes its parent skipped.  What is read goes into heap
 * buffers of exactly the size given, so an overrun shows under ASan.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"

#define MAXDEPTH	8

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;

/* what the reader should look like */
struct model {
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	int		 err;
};

static void
die(const char *what, unsigned op)
{
	dprintf(errfd, "fuzz_rbuf: op %u: %s\n", op, what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	return 0;
}

static void
check(const struct rbuf *r, const struct model *m, unsigned op)
{
	if (r->off > r->len)
		die("off beyond len", op);
	if (r->data != m->data || r->len != m->len || r->off != m->off ||
	    (r->err != 0) != (m->err != 0))
		die("reader differs from the model", op);
	if (rbuf_left(r) != r->len - r->off)
		die("rbuf_left", op);
	if (rbuf_error(r) != (m->err ? -1 : 0))
		die("rbuf_error", op);
}

/* the model of rbuf_take: 0 and *p set, or -1 with the error set */
static int
take(struct model *m, size_t n, const uint8_t **p)
{
	if (m->err)
		return -1;
	if (n > m->len - m->off) {
		m->err = 1;
		return -1;
	}
	*p = m->data != NULL ? m->data + m->off : NULL;
	m->off += n;
	return 0;
}

static uint64_t
be(const uint8_t *p, int n)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static uint64_t
le(const uint8_t *p, int n)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* a size argument: small values mostly, the edges and huge ones too */
static size_t
size_arg(uint8_t a, const struct model *m)
{
	size_t	 left = m->len - m->off;

	if (a < 0xf0)
		return a;
	switch (a) {
	case 0xf0: return left;
	case 0xf1: return left + 1;
	case 0xf2: return left > 0 ? left - 1 : 0;
	case 0xf3: return SIZE_MAX;
	case 0xf4: return SIZE_MAX - m->off + 1;	/* off + n wraps to 1 */
	case 0xf5: return (size_t)1 << (sizeof(size_t) * 8 - 1);
	case 0xf6: return m->len;
	case 0xf7: return m->len + 1;
	case 0xf8: return 256;
	case 0xf9: return 1024;
	default:   return (size_t)(a - 0xf0) * 4096;
	}
}

static void
op_int(struct rbuf *r, struct model *m, unsigned op, int width, int little)
{
	const uint8_t	*p = NULL;
	uint64_t	 v = 0, want;
	uint32_t	 v32;
	uint16_t	 v16;
	uint8_t		 v8;
	int		 rv, mrv;

	mrv = take(m, width, &p);
	switch (width) {
	case 1:
		rv = rbuf_get_u8(r, &v8);
		v = v8;
		break;
	case 2:
		rv = little ? rbuf_get_u16le(r, &v16) : rbuf_get_u16(r, &v16);
		v = v16;
		break;
	case 4:
		rv = little ? rbuf_get_u32le(r, &v32) : rbuf_get_u32(r, &v32);
		v = v32;
		break;
	default:
		rv = little ? rbuf_get_u64le(r, &v) : rbuf_get_u64(r, &v);
		break;
	}
	if (rv != mrv)
		die("integer read result", op);
	if (rv == 0) {
		want = little ? le(p, width) : be(p, width);
		if (v != want)
			die("integer value", op);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct rbuf	 stack[MAXDEPTH];
	struct model	 mstack[MAXDEPTH];
	const uint8_t	*prog, *data, *p, *mp;
	struct rbuf	*r;
	struct model	*m;
	size_t		 proglen, datalen, pc, n, dstsz;
	uint8_t		*buf;
	char		*str;
	unsigned	 op;
	int		 depth = 0, rv, mrv;
	uint8_t		 l;

	if (size == 0)
		return 0;
	proglen = input[0];
	if (proglen > size - 1)
		proglen = size - 1;
	prog = input + 1;
	data = input + 1 + proglen;
	datalen = size - 1 - proglen;

	/* an empty data part reads through a NULL pointer, as allowed */
	rbuf_init(&stack[0], datalen > 0 ? data : NULL, datalen);
	mstack[0].data = datalen > 0 ? data : NULL;
	mstack[0].len = datalen;
	mstack[0].off = 0;
	mstack[0].err = 0;
	check(&stack[0], &mstack[0], 0);

	for (pc = 0; pc < proglen; ) {
		r = &stack[depth];
		m = &mstack[depth];
		op = prog[pc++];
		/* the size argument, if the op takes one */
		n = size_arg(pc < proglen ? prog[pc] : 0, m);

		switch (op % 18) {
		case 0:
			op_int(r, m, op, 1, 0);
			break;
		case 1:
			op_int(r, m, op, 2, 0);
			break;
		case 2:
			op_int(r, m, op, 4, 0);
			break;
		case 3:
			op_int(r, m, op, 8, 0);
			break;
		case 4:
			op_int(r, m, op, 2, 1);
			break;
		case 5:
			op_int(r, m, op, 4, 1);
			break;
		case 6:
			op_int(r, m, op, 8, 1);
			break;
		case 7:		/* get_bytes n */
			pc++;
			mrv = take(m, n, &mp);
			/* no buffer for what cannot be read anyway */
			if (mrv == -1) {
				rv = rbuf_get_bytes(r, NULL, n);
			} else {
				if ((buf = malloc(n > 0 ? n : 1)) == NULL)
					abort();
				rv = rbuf_get_bytes(r, buf, n);
				if (rv == 0 && n > 0 && memcmp(buf, mp, n) != 0)
					die("rbuf_get_bytes content", op);
				free(buf);
			}
			if (rv != mrv)
				die("rbuf_get_bytes result", op);
			break;
		case 8:		/* get_ptr n */
			pc++;
			p = (const uint8_t *)1;
			mrv = take(m, n, &mp);
			rv = rbuf_get_ptr(r, &p, n);
			if (rv != mrv)
				die("rbuf_get_ptr result", op);
			if (rv == 0) {
				if (p != mp)
					die("rbuf_get_ptr pointer", op);
				/* touch every byte: ASan checks the range */
				for (l = 0; n > 0; n--)
					l ^= p[n - 1];
				(void)l;
			}
			break;
		case 9:		/* skip n */
			pc++;
			mrv = take(m, n, &mp);
			if (rbuf_skip(r, n) != mrv)
				die("rbuf_skip result", op);
			break;
		case 10:	/* sub n: push */
			pc++;
			if (depth + 1 >= MAXDEPTH)
				break;
			mrv = take(m, n, &mp);
			rv = rbuf_sub(r, &stack[depth + 1], n);
			if (rv != mrv)
				die("rbuf_sub result", op);
			depth++;
			if (rv == 0) {
				mstack[depth].data = mp;
				mstack[depth].len = n;
				mstack[depth].err = 0;
			} else {
				/* a failed sub-reader fails too */
				mstack[depth].data = NULL;
				mstack[depth].len = 0;
				mstack[depth].err = 1;
			}
			mstack[depth].off = 0;
			check(&stack[depth], &mstack[depth], op);
			break;
		case 11:	/* pop */
			if (depth > 0)
				depth--;
			break;
		case 12:	/* get_str8 into dstsz bytes */
			pc++;
			dstsz = n;
			if (dstsz > 4096)
				dstsz = 300;
			if ((str = malloc(dstsz > 0 ? dstsz : 1)) == NULL)
				abort();
			memset(str, 'x', dstsz);
			mp = NULL;
			if (take(m, 1, &mp) == 0) {
				l = *mp;
				if (take(m, l, &mp) == 0 &&
				    (l >= dstsz || memchr(mp, '\0', l) != NULL))
					m->err = 1;
			}
			mrv = m->err ? -1 : 0;
			rv = rbuf_get_str8(r, str, dstsz);
			if (rv != mrv)
				die("rbuf_get_str8 result", op);
			if (dstsz > 0 && rv == -1 && str[0] != '\0')
				die("rbuf_get_str8 left dst non-empty", op);
			if (rv == 0 && (strlen(str) != l ||
			    memcmp(str, mp, l) != 0))
				die("rbuf_get_str8 content", op);
			free(str);
			break;
		case 13:	/* get_cstr: field of n bytes into dstsz */
			pc++;
			/* dstsz from the following program byte */
			dstsz = size_arg(pc < proglen ? prog[pc] : 0, m);
			pc++;
			if (dstsz > 4096)
				dstsz = n;
			if (dstsz > 4096)
				dstsz = 300;
			if ((str = malloc(dstsz > 0 ? dstsz : 1)) == NULL)
				abort();
			memset(str, 'x', dstsz);
			mp = NULL;
			if (!m->err && (n > dstsz || n == 0))
				m->err = 1;
			if (take(m, n, &mp) == 0 &&
			    memchr(mp, '\0', n) == NULL)
				m->err = 1;
			mrv = m->err ? -1 : 0;
			rv = rbuf_get_cstr(r, str, dstsz, n);
			if (rv != mrv)
				die("rbuf_get_cstr result", op);
			if (dstsz > 0 && rv == -1 && str[0] != '\0')
				die("rbuf_get_cstr left dst non-empty", op);
			if (rv == 0 && strcmp(str, (const char *)mp) != 0)
				die("rbuf_get_cstr content", op);
			free(str);
			break;
		case 14:	/* end */
			mrv = 0;
			if (m->err)
				mrv = -1;
			else if (m->off != m->len) {
				m->err = 1;
				mrv = -1;
			}
			if (rbuf_end(r) != mrv)
				die("rbuf_end result", op);
			break;
		case 15:	/* re-init the innermost reader over its rest */
			mp = m->data != NULL ? m->data + m->off : NULL;
			n = m->len - m->off;
			rbuf_init(r, mp, n);
			m->data = mp != NULL ? mp : NULL;
			m->len = mp != NULL ? n : 0;
			m->off = 0;
			m->err = 0;
			break;
		case 16:	/* init over NULL with a length: must be empty */
			rbuf_init(r, NULL, n);
			pc++;
			m->data = NULL;
			m->len = 0;
			m->off = 0;
			m->err = 0;
			break;
		case 17:	/* a read of zero bytes at the end */
			mrv = take(m, 0, &mp);
			if (rbuf_skip(r, 0) != mrv)
				die("rbuf_skip 0 result", op);
			break;
		}
		/* every reader on the stack, parents included */
		for (rv = 0; rv <= depth; rv++)
			check(&stack[rv], &mstack[rv], op);
	}
	return 0;
}
