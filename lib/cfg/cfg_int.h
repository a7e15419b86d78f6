/*
 * NAME
 *	cfg_int 3h
 * SUMMARY
 *	internals shared by the cfg*.c files (not an interface)
 * SYNOPSIS
 *	#include "cfg_int.h"
 * DESCRIPTION
 *	The loader walks the jansson tree by hand, keeping the JSON path
 *	of the value at hand in ctx->src.path.  cfg_member() descends into
 *	a member (pushing its key) and cfg_pop() climbs back.  Messages
 *	are reported against the current path: cfg_error() at the value,
 *	cfg_error_key() at its key, cfg_warning() as a warning; each looks
 *	the position up in the source's jpos(3h) index and formats
 *	"NAME:LINE:COL: PATH: message" (parts that are unknown or empty
 *	are left out).  cfg_ctx_finish() sorts the messages by source,
 *	line and column, drops exact repeats and moves them into a struct
 *	cfg_errors; warnings only when there is no error, since a value
 *	that failed to parse leaves a default behind that may warn.
 *
 *	The value helpers (cfg_v_*) check the value at the current path
 *	and return 0, or -1 after reporting an error.  The member helpers
 *	(cfg_str(), cfg_uint(), ...) look a key up in an object, return 0
 *	when it is absent, 1 when it was stored, -1 after an error; they
 *	leave the output alone unless they return 1.
 *
 *	The string validators (cfg_ok_*) are pure predicates.
 *	Single-threaded: one context belongs to one cfg_parse() call.
 * SEE ALSO
 *	cfg(3h), jpos(3h)
 */
#ifndef GP_CFG_INT_H
#define GP_CFG_INT_H

#include <stdarg.h>
#include <stddef.h>

#include <jansson.h>

#include "cfg.h"
#include "jpos.h"

#define CFG_QUOTE_MAX	96		/* bytes of a quoted value, quoted */

struct cfg_msg {
	unsigned src;			/* source number, 0 = main file */
	unsigned line;			/* 0 = no position */
	unsigned col;
	size_t	 seq;			/* report order, breaks ties */
	char	*text;			/* owned, formatted */
};

struct cfg_msgs {
	struct cfg_msg *v;		/* owned */
	size_t	 n;
	size_t	 cap;
};

struct cfg_src {			/* one JSON text being walked */
	const char *name;		/* borrowed: file name for messages */
	unsigned id;			/* 0 = the main file */
	struct jpos pos;		/* positions of its values */
	struct sbuf path;		/* path of the value at hand */
};

struct cfg_ctx {
	struct cfg_src src;		/* the text being walked */
	unsigned nsrc;			/* sources opened so far */
	const char *basedir;		/* borrowed, may be NULL */
	cfg_reader_fn *reader;		/* may be NULL */
	struct cfg *cfg;		/* being built */
	struct cfg_msgs err;
	struct cfg_msgs warn;
	size_t	 seq;
};

struct cfg_name {			/* one enum spelling */
	const char *name;
	int	 val;
};

struct cfg_enum {
	const char *noun;		/* "action", for messages */
	const char *expect;		/* canonical names, for messages */
	const struct cfg_name *v;	/* NULL-terminated; synonyms too */
};

/* address forms accepted by cfg_v_addr() */
#define CFG_ADDR_FULL	1u		/* local@domain */
#define CFG_ADDR_DOMAIN	2u		/* @domain */
#define CFG_ADDR_ANY	4u		/* "*" */

extern const struct cfg_enum cfg_enum_act;	/* rule actions */
extern const struct cfg_enum cfg_enum_rl_act;	/* rate limit actions */
extern const struct cfg_enum cfg_enum_on_error;
extern const struct cfg_enum cfg_enum_virus_act;
extern const struct cfg_enum cfg_enum_spam_oversize;
extern const struct cfg_enum cfg_enum_virus_oversize;
extern const struct cfg_enum cfg_enum_unknown;	/* unknown_instance */
extern const struct cfg_enum cfg_enum_dir;
extern const struct cfg_enum cfg_enum_mode;
extern const struct cfg_enum cfg_enum_auth;
extern const struct cfg_enum cfg_enum_tls_level;
extern const struct cfg_enum cfg_enum_log_format;
extern const struct cfg_enum cfg_enum_tls_proto;
extern const struct cfg_enum cfg_enum_rcpts;
extern const struct cfg_enum cfg_enum_rl_key;
extern const struct cfg_enum cfg_enum_rl_count;
extern const struct cfg_enum cfg_enum_spam_engine;
extern const struct cfg_enum cfg_enum_virus_engine;

/* cfg_util.c: context, paths and messages */
void	cfg_ctx_init(struct cfg_ctx *, const char *, const char *,
	    cfg_reader_fn *);
size_t	cfg_ctx_finish(struct cfg_ctx *, struct cfg_errors *);
void	cfg_error(struct cfg_ctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	cfg_error_key(struct cfg_ctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	cfg_warning(struct cfg_ctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
json_t	*cfg_load_json(struct cfg_ctx *, const char *, size_t);
json_t	*cfg_member(struct cfg_ctx *, json_t *, const char *, size_t *);
size_t	cfg_push_index(struct cfg_ctx *, size_t);
void	cfg_pop(struct cfg_ctx *, size_t);
const char *cfg_quote(char *, size_t, const char *);
void	cfg_strv_add(struct cfg_strv *, char *);
int	cfg_strv_has(const struct cfg_strv *, const char *);
void	cfg_strv_free(struct cfg_strv *);

/* cfg_value.c: typed values at the current path, and members */
int	cfg_v_obj(struct cfg_ctx *, json_t *, const char *const *);
void	cfg_require(struct cfg_ctx *, json_t *, const char *const *);
int	cfg_v_arr(struct cfg_ctx *, json_t *);
int	cfg_v_str(struct cfg_ctx *, json_t *, int, const char **);
int	cfg_v_uint(struct cfg_ctx *, json_t *, unsigned long long,
	    unsigned long long *);
int	cfg_v_enum(struct cfg_ctx *, json_t *, const struct cfg_enum *,
	    int *);
int	cfg_v_cidr(struct cfg_ctx *, json_t *, struct cidr *);
int	cfg_v_domain(struct cfg_ctx *, json_t *, char **);
int	cfg_v_addr(struct cfg_ctx *, json_t *, unsigned, char **);
int	cfg_str(struct cfg_ctx *, json_t *, const char *, int, char **);
int	cfg_uint(struct cfg_ctx *, json_t *, const char *,
	    unsigned long long, unsigned long long *);
int	cfg_num(struct cfg_ctx *, json_t *, const char *, double *);
int	cfg_bool(struct cfg_ctx *, json_t *, const char *, int *);
int	cfg_enum(struct cfg_ctx *, json_t *, const char *,
	    const struct cfg_enum *, int *);
int	cfg_checked(struct cfg_ctx *, json_t *, const char *,
	    int (*)(const char *), const char *, const char *, char **);
int	cfg_nets(struct cfg_ctx *, json_t *, const char *, struct cfg_nets *);
int	cfg_domains(struct cfg_ctx *, json_t *, const char *,
	    struct cfg_strv *);
int	cfg_addrs(struct cfg_ctx *, json_t *, const char *, unsigned,
	    struct cfg_strv *);
int	cfg_strs(struct cfg_ctx *, json_t *, const char *, struct cfg_strv *);
/* one element of a list, at its path */
typedef void cfg_elem_fn(struct cfg_ctx *, json_t *, void *);
int	cfg_list(struct cfg_ctx *, json_t *, const char *, cfg_elem_fn *,
	    void *);

/* cfg_check.c: pure validators of strings */
int	cfg_ok_hostport(const char *);
int	cfg_ok_server(const char *);
int	cfg_ok_listen(const char *);
int	cfg_ok_msocket(const char *);
int	cfg_ok_inst_name(const char *);
int	cfg_ok_hdr_name(const char *);
int	cfg_ok_hdr_pattern(const char *);
int	cfg_ok_hdr_value(const char *);
int	cfg_parse_endpoint(const char *, struct cfg_endpoint *);
int	cfg_parse_octal_mode(const char *);
int	cfg_norm_addr(const char *, unsigned, char *, size_t, char *, size_t);

/*
 * The key table (cfg_keys.c): every configuration key, once.  A key's
 * path names its place ("instances[].spam.max_size"; "[]" marks the
 * elements of a list), its type says how it is read and where it goes
 * (off: an offset into the struct its block fills: struct cfg at the
 * top, struct cfg_instance under "instances[]", struct cfg_ratelimit
 * under "instances[].rate_limits[]", struct cfg_header under
 * "instances[].headers.add[]").  cfg_walk_block() walks one JSON object
 * by the table: unknown keys and missing required keys are errors, each
 * typed member is stored, blocks are descended into, and custom members
 * are handed to their walk function.  cfg_defaults_apply() writes every
 * table default of a block into its struct.
 */
enum cfg_ktype {
	CFG_K_BLOCK,			/* an object; its keys follow */
	CFG_K_CUSTOM,			/* read by .walk */
	CFG_K_ENUM,			/* .en spelling -> enum field */
	CFG_K_UINT,			/* 1 .. .max -> unsigned field */
	CFG_K_NUM,			/* number -> double */
	CFG_K_BOOL,			/* true/false -> int */
	CFG_K_STR,			/* non-empty string -> owned char * */
	CFG_K_TEXT,			/* string, may be empty -> char * */
	CFG_K_CHECKED,			/* string passing .ok -> char * */
	CFG_K_MODE,			/* "0660" -> int */
	CFG_K_ADDR,			/* one address of .forms -> char * */
	CFG_K_ADDRS,			/* address list -> struct cfg_strv */
	CFG_K_DOMAINS,			/* domain list -> struct cfg_strv */
	CFG_K_NETS,			/* CIDR list -> struct cfg_nets */
	CFG_K_STRS			/* string list -> struct cfg_strv */
};

#define CFG_KF_REQUIRED	1u		/* missing is an error */
#define CFG_KF_COMPUTED	2u		/* .def is documentation: code sets it */

#define CFG_NOOFF	((size_t)-1)

struct cfg_ctx;
/* walks a custom member of obj (or, for a block, checks it afterwards) */
typedef void cfg_walk_fn(struct cfg_ctx *, json_t *obj, void *base);

struct cfg_key {
	const char *path;		/* "instances[].spam.max_size" */
	enum cfg_ktype type;
	unsigned flags;			/* CFG_KF_* */
	size_t	 off;			/* field in the block's struct */
	size_t	 size;			/* CFG_K_UINT: field size in bytes */
	unsigned long long max;		/* CFG_K_UINT: largest value */
	const struct cfg_enum *en;	/* CFG_K_ENUM */
	int	(*ok)(const char *);	/* CFG_K_CHECKED */
	const char *what;		/* CFG_K_CHECKED: noun for messages */
	const char *expect;		/* CFG_K_CHECKED: the accepted forms */
	unsigned forms;			/* CFG_K_ADDR(S): CFG_ADDR_* */
	size_t	 has;			/* int field set to 1 when present */
	cfg_walk_fn *walk;		/* CUSTOM: reads it; BLOCK: checks */
	const char *tname;		/* CFG_K_CUSTOM: its type, in words */
	const char *def;		/* default as JSON text, or NULL */
	const char *doc;		/* one line */
};

extern const struct cfg_key cfg_keys[];
extern const size_t cfg_nkeys;

/* cfg_walk.c: the table-driven walk */
int	cfg_walk_block(struct cfg_ctx *, json_t *, const char *, void *);
void	cfg_defaults_apply(const char *, void *);

/* cfg.c, cfg_inst.c, cfg_scan.c, cfg_sendas.c: custom members, checks */
cfg_walk_fn cfg_w_version, cfg_w_instances, cfg_w_inst_name,
    cfg_w_match_address, cfg_c_match, cfg_c_clients, cfg_w_hdr_add,
    cfg_c_hdr_add_one, cfg_w_hdr_remove, cfg_w_disclaimer, cfg_c_spam,
    cfg_w_rate_limits, cfg_w_logins, cfg_w_send_as_file, cfg_c_send_as,
    cfg_w_dc_skip_headers, cfg_c_spoofing, cfg_w_spoof_check_headers, cfg_c_tls,
    cfg_w_store;

/* cfg_store.c: policyd.store */
void	cfg_walk_store(struct cfg_ctx *, json_t *, struct cfg_store *);
int	cfg_ok_unix_path(const char *);
void	cfg_instance_free(struct cfg_instance *);
void	cfg_disclaimer_free(struct cfg_instance *);
extern const struct cfg_enum cfg_enum_store_type, cfg_enum_store_on_error;
extern const struct cfg_enum cfg_enum_dc_position, cfg_enum_dc_replies,
    cfg_enum_dc_fallback;

/* enum member into an enum-typed field */
#define CFG_ENUM(c, obj, key, tab, dst) do {				\
	int	 cfg_v_;						\
	if (cfg_enum((c), (obj), (key), (tab), &cfg_v_) > 0)		\
		(dst) = cfg_v_;						\
} while (0)

#endif
