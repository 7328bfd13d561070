/*
 * The IRC client tunnel's filter and the IRC server tunnel's WEBIRC
 * line: pure code over bytes.  The engine owns the sockets and streams;
 * it passes what arrives in each direction through irc_filter_feed and
 * sends on what comes out.
 *
 * The filter does what the Java router's IRC client tunnel does
 * (i2ptunnel.html, "IRC client"): allow-lists in both directions, so
 * that nothing the IRC client adds by itself (its host name, its
 * version, its IP address in a DCC offer, a quit message) reaches the
 * server, and nothing the server relays makes the client reveal itself
 * (a CTCP VERSION or TIME request, a DCC offer).  It differs where the
 * Java filter is older than today's IRC:
 *   - IRCv3 message tags are parsed; the client's are stripped (they
 *     are client-chosen data, and a "label" or "+typing" tag is no use
 *     without a server that was offered the capability), the server's
 *     pass to the client;
 *   - PING keeps its first parameter and PONG its last, the server's
 *     token that the client echoes, instead of Java's fixed
 *     "PONG 127.0.0.1", which servers that check the token reject;
 *   - USER becomes "USER <user> 0 * :<realname>" (RFC 2812's form);
 *   - PRIVMSG and NOTICE pass a CTCP ACTION (/me) alone; every other
 *     CTCP request or reply (VERSION, TIME, PING, FINGER, USERINFO,
 *     CLIENTINFO, SOURCE, ...) and every DCC is dropped and counted.
 *     DCC is not relayed over I2P (no DCC helper here).
 *
 * Lines: RFC 1459 allows 512 bytes with CR LF; IRCv3 message tags add
 * up to 8191 bytes before them.  A longer line is dropped (and counted)
 * and the filter skips to the next line feed, so the buffer per
 * direction is fixed: nothing a peer sends grows memory.
 */
#ifndef I2PRD_TUNNELD_PROXY_IRC_H
#define I2PRD_TUNNELD_PROXY_IRC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* a message without tags, CR LF included (RFC 1459 2.3) */
#define IRC_MSG_MAX		512
/* the tags, '@' and the space after them included (IRCv3 message-tags) */
#define IRC_TAGS_MAX		8191
/* a line as the filter holds it: tags, message, CR LF */
#define IRC_LINE_MAX		(IRC_TAGS_MAX + IRC_MSG_MAX)
/* parameters of a message (RFC 1459 2.3.1) */
#define IRC_PARAMS_MAX		15
/* a command's letters; longer ones exist in no allow-list */
#define IRC_CMD_MAX		31
/*
 * Room irc_filter_feed needs in its output for len input bytes: a
 * rewritten line is at most three times as long as its input ("QUIT\n"
 * becomes "QUIT :leaving\r\n") and a line held from an earlier call may
 * complete in this one.
 */
#define IRC_OUT_ROOM(len)	(3 * (len) + IRC_LINE_MAX + 16)

enum irc_dir {
	IRC_OUTBOUND,	/* client to server: the IRC client's lines */
	IRC_INBOUND	/* server to client */
};

enum irc_verdict {
	IRC_PASS,	/* written to the output as it came (CR LF ended) */
	IRC_REWRITE,	/* written, changed */
	IRC_DROP	/* not written; the reason is counted */
};

enum irc_drop {
	IRC_DROP_TOOLONG,	/* over IRC_MSG_MAX or IRC_TAGS_MAX */
	IRC_DROP_MALFORMED,	/* NUL or CR inside, no command, ... */
	IRC_DROP_PREFIX,	/* a client line with a ":prefix" */
	IRC_DROP_COMMAND,	/* not on the direction's allow-list */
	IRC_DROP_CTCP,		/* a CTCP other than ACTION */
	IRC_DROP_DCC,		/* a DCC offer or request */
	IRC_DROP_NREASONS
};

struct irc_counts {
	uint64_t	 passed;
	uint64_t	 rewritten;
	uint64_t	 dropped[IRC_DROP_NREASONS];
};

/* one direction of one connection */
struct irc_filter {
	enum irc_dir	 dir;
	uint8_t		 line[IRC_LINE_MAX];
	size_t		 len;
	int		 skipping;	/* inside a line that was too long */
	struct irc_counts count;
};

void	irc_filter_init(struct irc_filter *, enum irc_dir);
/*
 * Takes len bytes from the direction's sender, writes every complete
 * line that passes to out (CR LF ended) and keeps an incomplete one for
 * the next call.  -1 if out ran out of room (give it IRC_OUT_ROOM(len)
 * bytes), which the engine treats as fatal for the connection.
 */
int	irc_filter_feed(struct irc_filter *, const uint8_t *, size_t,
	    struct wbuf *);
/*
 * One line, without its line ending: the verdict, the passed or
 * rewritten line on out, the reason of a drop in *why.  IRC_DROP with
 * IRC_DROP_TOOLONG also if out lacks room.
 */
enum irc_verdict irc_filter_line(enum irc_dir, const uint8_t *, size_t,
	    struct wbuf *, enum irc_drop *);
const char *irc_drop_name(enum irc_drop);

/*
 * The line an IRC server tunnel sends first, before the remote
 * client's, so that the server shows the client's b32 address as its
 * host: "WEBIRC <password> <user> <host> <ip>" with CR LF (ngircd and
 * the other servers of the CGI:IRC convention take exactly these four
 * parameters).  The fields must be non-empty words of printable ASCII,
 * ip an IPv4 or IPv6 address.  -1 if one is not, or out is full.
 */
int	irc_webirc(struct wbuf *, const char *password, const char *user,
	    const char *host, const char *ip);

#endif /* I2PRD_TUNNELD_PROXY_IRC_H */
