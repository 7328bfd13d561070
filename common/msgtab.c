/*
 * The table of imsg types: who may send each, who may receive it, its
 * payload size and whether it carries an fd.  proc_check_imsg() applies
 * it to every message a process reads, so a dispatcher only ever sees a
 * message of the right size from the right peer.  The last column states
 * whether the payload may hold a private key; the custody test asserts
 * that none does but the two SAM needs (its clients bring and take
 * their own keys): other private keys never leave cryptod.
 */
#include <stddef.h>

#include "i2prd.h"

#define P(x)	PROC_BIT(PROC_##x)
#define CHILDREN	(P(NETD) | P(CRYPTOD) | P(ROUTERD) | P(TUNNELD))
/* the processes that may ask cryptod for key operations */
#define KEYUSERS	(P(NETD) | P(ROUTERD) | P(TUNNELD))
/*
 * netd's key operations: its handshake DH, and signing SSU2 peer test
 * data with the router key, cryptod checking the prologue (audit #9)
 */
#define KEYUSERS_NOT_NETD	(P(ROUTERD) | P(TUNNELD))
#define FIXED(s)	sizeof(struct s), sizeof(struct s)

const struct msgtab_entry msgtab[] = {
	{ IMSG_SOCKET_CONN, "SOCKET_CONN", P(PARENT), CHILDREN,
	    FIXED(proc_link), 1, 0 },
	{ IMSG_SOCKET_DONE, "SOCKET_DONE", P(PARENT), CHILDREN,
	    0, 0, 0, 0 },
	{ IMSG_MESH_HELLO, "MESH_HELLO", CHILDREN, CHILDREN,
	    FIXED(mesh_hello), 0, 0 },
	{ IMSG_CHILD_READY, "CHILD_READY", CHILDREN, P(PARENT),
	    0, 0, 0, 0 },
	{ IMSG_CONTROL_FD, "CONTROL_FD", P(PARENT), P(ROUTERD),
	    0, 0, 1, 0 },
	{ IMSG_PROC_INFO, "PROC_INFO", P(PARENT), P(ROUTERD),
	    FIXED(proc_info), 0, 0 },
	{ IMSG_RECONF_CONF, "RECONF_CONF", P(PARENT), CHILDREN,
	    FIXED(conf_msg), 0, 0 },
	{ IMSG_RECONF_LISTEN, "RECONF_LISTEN", P(PARENT), CHILDREN,
	    FIXED(listen_msg), 0, 0 },
	/* only tunneld runs the tunnels */
	{ IMSG_RECONF_PROXY, "RECONF_PROXY", P(PARENT), P(TUNNELD),
	    FIXED(proxy_conf), 0, 0 },
	{ IMSG_RECONF_ADDRBOOK, "RECONF_ADDRBOOK", P(PARENT), P(TUNNELD),
	    FIXED(addrbook_conf), 0, 0 },
	{ IMSG_RECONF_DONE, "RECONF_DONE", P(PARENT), CHILDREN,
	    0, 0, 0, 0 },
	{ IMSG_RECONF_ACK, "RECONF_ACK", CHILDREN, P(PARENT),
	    0, 0, 0, 0 },
	{ IMSG_CTL_SHOW_SUMMARY, "CTL_SHOW_SUMMARY", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_SUMMARY, "CTL_SUMMARY", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_summary), 0, 0 },
	{ IMSG_CTL_PROC, "CTL_PROC", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_proc), 0, 0 },
	{ IMSG_CTL_RELOAD, "CTL_RELOAD", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(PARENT), 0, 0, 0, 0 },
	{ IMSG_CTL_LOG_VERBOSE, "CTL_LOG_VERBOSE",
	    P(CONTROL) | P(ROUTERD) | P(PARENT), P(ROUTERD) | CHILDREN |
	    P(PARENT), FIXED(ctl_log_verbose), 0, 0 },
	{ IMSG_CTL_RESULT, "CTL_RESULT", P(PARENT) | P(ROUTERD) | P(TUNNELD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_result), 0, 0 },
	{ IMSG_CTL_END, "CTL_END", P(ROUTERD) | P(NETD) | P(TUNNELD),
	    P(CONTROL) | P(ROUTERD), 0, 0, 0, 0 },
	{ IMSG_CTL_SHOW_ROUTER, "CTL_SHOW_ROUTER", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_ROUTER_INFO, "CTL_ROUTER_INFO", P(ROUTERD), P(CONTROL),
	    1, CTL_ROUTER_INFO_MAX, 0, 0 },
	{ IMSG_KEY_ROUTER_PUB, "KEY_ROUTER_PUB", KEYUSERS_NOT_NETD,
	    P(CRYPTOD), 0, 0, 0, 0 },
	{ IMSG_KEY_PUB, "KEY_PUB", P(CRYPTOD), KEYUSERS_NOT_NETD,
	    FIXED(key_pub), 0, 0 },
	{ IMSG_KEY_SIGN, "KEY_SIGN", KEYUSERS, P(CRYPTOD),
	    sizeof(struct key_sign_req),
	    sizeof(struct key_sign_req) + KEY_SIGN_MAX, 0, 0 },
	{ IMSG_KEY_SIGNATURE, "KEY_SIGNATURE", P(CRYPTOD),
	    KEYUSERS, FIXED(key_signature), 0, 0 },
	{ IMSG_KEY_DH, "KEY_DH", KEYUSERS, P(CRYPTOD),
	    FIXED(key_dh_req), 0, 0 },
	{ IMSG_KEY_DH_RESULT, "KEY_DH_RESULT", P(CRYPTOD), KEYUSERS,
	    FIXED(key_dh_result), 0, 0 },
	{ IMSG_KEY_DEST_CREATE, "KEY_DEST_CREATE", P(TUNNELD), P(CRYPTOD),
	    0, 0, 0, 0 },
	{ IMSG_KEY_DEST_LIST, "KEY_DEST_LIST", P(TUNNELD), P(CRYPTOD),
	    0, 0, 0, 0 },
	{ IMSG_KEY_DEST_DELETE, "KEY_DEST_DELETE", P(TUNNELD), P(CRYPTOD),
	    FIXED(key_id), 0, 0 },
	{ IMSG_KEY_END, "KEY_END", P(CRYPTOD), KEYUSERS_NOT_NETD,
	    0, 0, 0, 0 },
	{ IMSG_KEY_ERROR, "KEY_ERROR", P(CRYPTOD), KEYUSERS,
	    FIXED(key_error), 0, 0 },
	{ IMSG_NET_LOCAL, "NET_LOCAL", P(ROUTERD), P(NETD),
	    1, NET_RI_MAX, 0, 0 },
	{ IMSG_NET_DIAL, "NET_DIAL", P(ROUTERD), P(NETD),
	    1, NET_RI_MAX, 0, 0 },
	{ IMSG_NET_I2NP_OUT, "NET_I2NP_OUT", P(ROUTERD), P(NETD),
	    sizeof(struct net_peer), MAX_IMSGSIZE_NET, 0, 0 },
	{ IMSG_NET_I2NP_IN, "NET_I2NP_IN", P(NETD), P(ROUTERD),
	    sizeof(struct net_peer), MAX_IMSGSIZE_NET, 0, 0 },
	{ IMSG_NET_SESSION_UP, "NET_SESSION_UP", P(NETD), P(ROUTERD),
	    FIXED(net_session), 0, 0 },
	{ IMSG_NET_SESSION_DOWN, "NET_SESSION_DOWN", P(NETD), P(ROUTERD),
	    FIXED(net_session_down), 0, 0 },
	{ IMSG_NET_REACH, "NET_REACH", P(NETD), P(ROUTERD),
	    FIXED(net_reach), 0, 0 },
	{ IMSG_NET_PEER_RI, "NET_PEER_RI", P(NETD), P(ROUTERD),
	    sizeof(struct net_peer) + 1, sizeof(struct net_peer) + NET_RI_MAX,
	    0, 0 },
	{ IMSG_CTL_SHOW_PEERS, "CTL_SHOW_PEERS", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(NETD), 0, 0, 0, 0 },
	{ IMSG_CTL_PEER, "CTL_PEER", P(NETD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_peer), 0, 0 },
	{ IMSG_CTL_SHOW_NETDB, "CTL_SHOW_NETDB", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_NETDB, "CTL_NETDB", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_netdb), 0, 0 },
	{ IMSG_CTL_SHOW_ENTRY, "CTL_SHOW_ENTRY", P(CONTROL), P(ROUTERD),
	    FIXED(ctl_entry_req), 0, 0 },
	{ IMSG_CTL_LEASESET, "CTL_LEASESET", P(ROUTERD), P(CONTROL),
	    2, CTL_LEASESET_MAX, 0, 0 },
	{ IMSG_CTL_RESEED_IMPORT, "CTL_RESEED_IMPORT", P(CONTROL), P(ROUTERD),
	    0, 0, 1, 0 },
	{ IMSG_RESEED_CERTS_BEGIN, "RESEED_CERTS_BEGIN", P(PARENT), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_RESEED_CERT, "RESEED_CERT", P(PARENT), P(ROUTERD),
	    sizeof(struct reseed_cert) + 1,
	    sizeof(struct reseed_cert) + RESEED_CERT_MAX, 0, 0 },
	{ IMSG_RESEED_CERTS_END, "RESEED_CERTS_END", P(PARENT), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_KEY_RESEED_SIGN, "KEY_RESEED_SIGN", P(ROUTERD), P(CRYPTOD),
	    FIXED(key_reseed_req), 0, 0 },
	{ IMSG_KEY_RESEED, "KEY_RESEED", P(CRYPTOD), P(ROUTERD),
	    sizeof(struct key_reseed) + 1,
	    sizeof(struct key_reseed) + KEY_RESEED_CERT_MAX, 0, 0 },
	{ IMSG_CTL_RESEED_EXPORT, "CTL_RESEED_EXPORT", P(CONTROL), P(ROUTERD),
	    0, 0, 1, 0 },
	{ IMSG_CTL_SHOW_RESEED_CERT, "CTL_SHOW_RESEED_CERT", P(CONTROL),
	    P(ROUTERD), 0, 0, 0, 0 },
	{ IMSG_CTL_RESEED_PEM, "CTL_RESEED_PEM", P(ROUTERD), P(CONTROL),
	    1, KEY_RESEED_CERT_MAX, 0, 0 },
	{ IMSG_NET_CA_BEGIN, "NET_CA_BEGIN", P(PARENT), P(NETD), 0, 0, 0, 0 },
	{ IMSG_NET_CA, "NET_CA", P(PARENT), P(NETD), 1, NET_CA_MAX, 0, 0 },
	{ IMSG_NET_CA_END, "NET_CA_END", P(PARENT), P(NETD), 0, 0, 0, 0 },
	{ IMSG_RESEED_REQUEST, "RESEED_REQUEST", P(ROUTERD), P(PARENT),
	    FIXED(reseed_req), 0, 0 },
	{ IMSG_NET_RESEED_FETCH, "NET_RESEED_FETCH", P(PARENT), P(NETD),
	    FIXED(net_fetch), 0, 0 },
	{ IMSG_NET_RESEED_DATA, "NET_RESEED_DATA", P(NETD), P(ROUTERD),
	    1, 64 * 1024, 0, 0 },
	{ IMSG_NET_RESEED_DONE, "NET_RESEED_DONE", P(NETD) | P(PARENT),
	    P(ROUTERD), FIXED(net_fetch_done), 0, 0 },
	{ IMSG_CTL_RESEED_FETCH, "CTL_RESEED_FETCH", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_SHOW_TRANSIT, "CTL_SHOW_TRANSIT", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_TRANSIT, "CTL_TRANSIT", P(ROUTERD), P(CONTROL),
	    FIXED(transit_stats), 0, 0 },
	{ IMSG_CTL_SHOW_TUNNELS, "CTL_SHOW_TUNNELS", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_TUNNEL, "CTL_TUNNEL", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_tunnel), 0, 0 },
	{ IMSG_CTL_TUNNELS, "CTL_TUNNELS", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_tunnels), 0, 0 },
	{ IMSG_CTL_SHOW_PROFILES, "CTL_SHOW_PROFILES", P(CONTROL), P(ROUTERD),
	    0, 0, 0, 0 },
	{ IMSG_CTL_PROFILE, "CTL_PROFILE", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_profile), 0, 0 },
	{ IMSG_CTL_PROFILES, "CTL_PROFILES", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_profiles), 0, 0 },
	{ IMSG_POOL_OPEN, "POOL_OPEN", P(TUNNELD), P(ROUTERD),
	    FIXED(pool_open), 0, 0 },
	{ IMSG_POOL_CLOSE, "POOL_CLOSE", P(TUNNELD), P(ROUTERD),
	    FIXED(pool_close), 0, 0 },
	{ IMSG_POOL_TUNNEL, "POOL_TUNNEL", P(ROUTERD), P(TUNNELD),
	    FIXED(pool_tunnel), 0, 0 },
	{ IMSG_CTL_POOL, "CTL_POOL", P(ROUTERD), P(CONTROL),
	    FIXED(ctl_pool), 0, 0 },
	{ IMSG_CTL_TRANSPORT, "CTL_TRANSPORT", P(NETD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_transport), 0, 0 },
	{ IMSG_CTL_SESSIONS, "CTL_SESSIONS", P(NETD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_sessions), 0, 0 },
	{ IMSG_KEY_NTCP2_PUB, "KEY_NTCP2_PUB", P(ROUTERD), P(CRYPTOD),
	    0, 0, 0, 0 },
	{ IMSG_CLIENT_SEND, "CLIENT_SEND", P(TUNNELD), P(ROUTERD),
	    sizeof(struct client_batch), MAX_IMSGSIZE_CLIENT, 0, 0 },
	{ IMSG_CLIENT_RECV, "CLIENT_RECV", P(ROUTERD), P(TUNNELD),
	    sizeof(struct client_batch), MAX_IMSGSIZE_CLIENT, 0, 0 },
	{ IMSG_LS_PUBLISH, "LS_PUBLISH", P(TUNNELD), P(ROUTERD),
	    sizeof(struct ls_publish), sizeof(struct ls_publish) + LS_MAX,
	    0, 0 },
	{ IMSG_LS_STATUS, "LS_STATUS", P(ROUTERD), P(TUNNELD),
	    FIXED(ls_status), 0, 0 },
	{ IMSG_LS_LOOKUP, "LS_LOOKUP", P(TUNNELD), P(ROUTERD),
	    FIXED(ls_lookup), 0, 0 },
	{ IMSG_LS_FOUND, "LS_FOUND", P(ROUTERD), P(TUNNELD),
	    sizeof(struct ls_found), sizeof(struct ls_found) + LS_MAX, 0, 0 },
	{ IMSG_KEY_DEST_GENERATE, "KEY_DEST_GENERATE", P(TUNNELD), P(CRYPTOD),
	    FIXED(key_dest_new), 0, 0 },
	{ IMSG_KEY_DEST_TRANSIENT, "KEY_DEST_TRANSIENT", P(TUNNELD),
	    P(CRYPTOD), FIXED(key_dest_new), 0, 0 },
	/* the two exceptions to custody: SAM's own keys (i2prd.h) */
	{ IMSG_KEY_DEST_PRIV, "KEY_DEST_PRIV", P(CRYPTOD), P(TUNNELD),
	    sizeof(struct key_dest) + 1, sizeof(struct key_dest) + KEY_PRIV_MAX,
	    0, 1 },
	{ IMSG_KEY_DEST_IMPORT, "KEY_DEST_IMPORT", P(TUNNELD), P(CRYPTOD),
	    1, KEY_PRIV_MAX, 0, 1 },
	{ IMSG_KEY_DEST_MADE, "KEY_DEST_MADE", P(CRYPTOD), P(TUNNELD),
	    sizeof(struct key_dest) + 1, sizeof(struct key_dest) + KEY_DEST_MAX,
	    0, 0 },
	{ IMSG_CTL_SHOW_SAM, "CTL_SHOW_SAM", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), 0, 0, 0, 0 },
	{ IMSG_CTL_SAM_CLIENT, "CTL_SAM_CLIENT", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_sam_client), 0, 0 },
	{ IMSG_CTL_SAM_SESSION, "CTL_SAM_SESSION", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_sam_session), 0, 0 },
	{ IMSG_CTL_SAM, "CTL_SAM", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_sam), 0, 0 },
	{ IMSG_CTL_SHOW_DESTS, "CTL_SHOW_DESTS", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), 0, 0, 0, 0 },
	{ IMSG_CTL_DEST, "CTL_DEST", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_dest), 0, 0 },
	{ IMSG_CTL_SHOW_RSESS, "CTL_SHOW_RSESS", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), 0, 0, 0, 0 },
	{ IMSG_CTL_RSESS, "CTL_RSESS", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_rsess), 0, 0 },
	{ IMSG_CTL_SHOW_STREAMS, "CTL_SHOW_STREAMS", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), 0, 0, 0, 0 },
	{ IMSG_CTL_STREAM, "CTL_STREAM", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_stream), 0, 0 },
	{ IMSG_CTL_SHOW_PROXIES, "CTL_SHOW_PROXIES", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), 0, 0, 0, 0 },
	{ IMSG_CTL_PROXY, "CTL_PROXY", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_proxy), 0, 0 },
	{ IMSG_CTL_AB_ADD, "CTL_AB_ADD", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), FIXED(ctl_ab_req), 0, 0 },
	{ IMSG_CTL_AB_DEL, "CTL_AB_DEL", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), FIXED(ctl_ab_req), 0, 0 },
	{ IMSG_CTL_AB_LOOKUP, "CTL_AB_LOOKUP", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), FIXED(ctl_ab_req), 0, 0 },
	{ IMSG_CTL_SHOW_AB, "CTL_SHOW_AB", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), FIXED(ctl_ab_req), 0, 0 },
	{ IMSG_CTL_AB_ENTRY, "CTL_AB_ENTRY", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_ab_entry), 0, 0 },
	{ IMSG_CTL_AB_CONFLICT, "CTL_AB_CONFLICT", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_ab_conflict), 0, 0 },
	{ IMSG_CTL_AB, "CTL_AB", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_ab), 0, 0 },
	{ IMSG_CTL_AB_FETCH, "CTL_AB_FETCH", P(CONTROL) | P(ROUTERD),
	    P(ROUTERD) | P(TUNNELD), 0, 0, 0, 0 },
	{ IMSG_CTL_AB_SUB, "CTL_AB_SUB", P(TUNNELD) | P(ROUTERD),
	    P(ROUTERD) | P(CONTROL), FIXED(ctl_ab_sub), 0, 0 },
	{ IMSG_NONE, NULL, 0, 0, 0, 0, 0, 0 }
};

const struct msgtab_entry *
msgtab_lookup(uint32_t type)
{
	const struct msgtab_entry	*e;

	for (e = msgtab; e->name != NULL; e++)
		if (e->type == type)
			return e;
	return NULL;
}

const char *
imsg_type_name(uint32_t type)
{
	const struct msgtab_entry	*e;

	if ((e = msgtab_lookup(type)) == NULL)
		return "unknown";
	return e->name;
}

const char *
net_reach_name(uint8_t r)
{
	switch (r) {
	case NET_REACH_OK:
		return "reachable";
	case NET_REACH_FIREWALLED:
		return "firewalled";
	default:
		return "unknown";
	}
}
