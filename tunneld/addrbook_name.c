/*
 * naming.html's rules for the names an address book takes: lower case
 * [a-z0-9.-], at most 67 characters with the ".i2p" they end in, no
 * leading '.' or '-', no "..", ".-" or "-.", "--" only in an IDN label's
 * "xn--", no base32 names (they are addresses, not names) and none of
 * the names the project keeps for local use.  The rules keep names
 * typographically sane for browsers and stop a feed from spoofing a
 * b32 address or the router's own pages.
 */
#include <bsd/string.h>
#include <ctype.h>
#include <string.h>

#include "addrbook.h"

/* the names and whole subtrees kept for local use (naming.html) */
static const char *const reserved[] = {
	"proxy.i2p", "router.i2p", "console.i2p", "mail.i2p"
};

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t	n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static int
is_reserved(const char *name, size_t len)
{
	char	sub[AB_NAME_MAX + 2];
	size_t	i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		if (strcmp(name, reserved[i]) == 0)
			return 1;
		sub[0] = '.';
		strlcpy(sub + 1, reserved[i], sizeof(sub) - 1);
		if (ends_with(name, len, sub))
			return 1;
	}
	return 0;
}

/* 52 base32 characters and ".i2p": a b32 address without its "b32" */
static int
looks_b32(const char *name, size_t len)
{
	return len == 56 && strspn(name, "abcdefghijklmnopqrstuvwxyz234567")
	    == 52;
}

/* every "--" starts at the third byte of a label that begins "xn" */
static int
dashes_ok(const char *name)
{
	const char	*p;

	for (p = name; (p = strstr(p, "--")) != NULL; p += 2) {
		if (p - name < 2 || strncmp(p - 2, "xn", 2) != 0)
			return 0;
		if (p - name > 2 && p[-3] != '.')
			return 0;
	}
	return 1;
}

static int
form_ok(const char *name, size_t len)
{
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789.-") != len)
		return 0;
	if (name[0] == '.' || name[0] == '-')
		return 0;
	if (strstr(name, "..") != NULL || strstr(name, ".-") != NULL ||
	    strstr(name, "-.") != NULL)
		return 0;
	return dashes_ok(name);
}

int
ab_name_check(const char *name, size_t len, enum ab_bad *why)
{
	*why = AB_BAD_NAME_LEN;
	if (len > AB_NAME_MAX)
		return -1;
	*why = AB_BAD_NAME;
	if (len == 0 || strlen(name) != len || !form_ok(name, len))
		return -1;
	*why = AB_BAD_TLD;
	if (!ends_with(name, len, ".i2p"))
		return -1;
	*why = AB_BAD_B32;
	if (strcmp(name, "b32.i2p") == 0 || ends_with(name, len, ".b32.i2p") ||
	    looks_b32(name, len))
		return -1;
	*why = AB_BAD_RESERVED;
	if (is_reserved(name, len))
		return -1;
	return 0;
}

int
ab_name_norm(const char *name, size_t len, char *out, enum ab_bad *why)
{
	size_t	i;

	*why = AB_BAD_NAME_LEN;
	if (len > AB_NAME_MAX)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = tolower((unsigned char)name[i]);
	out[len] = '\0';
	return ab_name_check(out, len, why);
}

const char *
ab_bad_str(enum ab_bad why)
{
	static const char *const s[AB_BAD_N] = {
		"line too long", "control byte", "syntax", "bad name",
		"name too long", "not .i2p", "base32 name", "reserved name",
		"bad destination", "bad #! keys"
	};

	return (unsigned)why < AB_BAD_N ? s[why] : "?";
}

const char *
ab_refuse_str(enum ab_refuse why)
{
	static const char *const s[AB_REF_N] = {
		"unsigned", "missing key", "unknown action", "bad sig",
		"bad oldsig", "mismatch", "over the limit"
	};

	return (unsigned)why < AB_REF_N ? s[why] : "?";
}

static const char *const books[AB_NBOOKS] = {
	"local", "private", "subscribed"
};

const char *
ab_book_str(enum ab_book b)
{
	return (unsigned)b < AB_NBOOKS ? books[b] : "?";
}

int
ab_book_parse(const char *s, enum ab_book *b)
{
	int	i;

	for (i = 0; i < AB_NBOOKS; i++)
		if (strcmp(s, books[i]) == 0) {
			*b = i;
			return 0;
		}
	return -1;
}
