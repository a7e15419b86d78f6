/* rl_lua.c - the Redis store's check-and-charge script, and its calls */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ratelimit.h"

/*
 * The script does in Redis exactly what mem_run() does in memory, in
 * one atomic step.  KEYS: prefix + item key, one per item.  ARGV[1]:
 * "check", "charge" or "reset"; ARGV[2]: the clock in seconds, "0" for
 * the server's TIME; then per item window, limit, n, blocking (0/1).
 * A key is a hash {w = window number, c = current, p = previous} with
 * a TTL to the end of the window after next.  It returns {now,
 * charged, estimate per item}.  Lua numbers are doubles: exact up to
 * 2^53 events, far beyond any limit.
 */
const char rl_lua_script[] =
"local now = tonumber(ARGV[2])\n"
"if now == 0 then now = tonumber(redis.call('TIME')[1]) end\n"
"local res = {now, 0}\n"
"local st = {}\n"
"local refused = false\n"
"for i = 1, #KEYS do\n"
"  local b = 2 + (i - 1) * 4\n"
"  local win = tonumber(ARGV[b + 1])\n"
"  local lim = tonumber(ARGV[b + 2])\n"
"  local cnt = tonumber(ARGV[b + 3])\n"
"  local w = math.floor(now / win)\n"
"  local v = redis.call('HMGET', KEYS[i], 'w', 'c', 'p')\n"
"  local cur, prev = 0, 0\n"
"  local kw = tonumber(v[1])\n"
"  if kw == w then\n"
"    cur = tonumber(v[2]) or 0\n"
"    prev = tonumber(v[3]) or 0\n"
"  elseif kw ~= nil and kw + 1 == w then\n"
"    prev = tonumber(v[2]) or 0\n"
"  end\n"
"  local left = win - (now % win)\n"
"  local est = cur + math.floor((prev * left + win - 1) / win)\n"
"  res[2 + i] = est\n"
"  st[i] = {w, cur, prev, win, cnt}\n"
"  if ARGV[b + 4] == '1' and est + cnt > lim then refused = true end\n"
"end\n"
"if ARGV[1] == 'reset' then\n"
"  for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end\n"
"elseif ARGV[1] == 'charge' and not refused then\n"
"  for i = 1, #KEYS do\n"
"    local s = st[i]\n"
"    redis.call('HSET', KEYS[i], 'w', s[1], 'c', s[2] + s[5], 'p', s[3])\n"
"    local ttl = (s[1] + 2) * s[4] - now\n"
"    if ttl < 1 then ttl = 1 end\n"
"    redis.call('EXPIRE', KEYS[i], ttl)\n"
"  end\n"
"  res[2] = 1\n"
"end\n"
"return res\n";

/* rl_lua_argc - arguments after "EVALSHA sha numkeys" for a request */
size_t
rl_lua_argc(const struct rl_req *req)
{
	return req->n + 2 + 4 * req->n;
}

/* put - one argument: text copied into buf at *off */
static int
put(char *buf, size_t len, size_t *off, const char **argv, size_t *argvlen,
    size_t *k, const char *p, size_t n)
{
	if (*off + n + 1 > len)
		return -1;
	memcpy(buf + *off, p, n);
	buf[*off + n] = '\0';
	argv[*k] = buf + *off;
	argvlen[*k] = n;
	(*k)++;
	*off += n + 1;
	return 0;
}

/*
 * rl_lua_args - the keys and arguments of a request, written into buf
 * and pointed at by argv/argvlen; returns how many, or 0 when buf or
 * max is short
 */
size_t
rl_lua_args(const struct rl_req *req, const char *prefix, char *buf,
    size_t len, const char **argv, size_t *argvlen, size_t max)
{
	static const char *const op[] = { "check", "charge", "reset" };
	char	 num[64];
	size_t	 off = 0, k = 0, i, pl = strlen(prefix);
	int	 n;

	if (max < rl_lua_argc(req))
		return 0;
	for (i = 0; i < req->n; i++) {
		if (off + pl + req->item[i].keylen + 1 > len)
			return 0;
		memcpy(buf + off, prefix, pl);
		memcpy(buf + off + pl, req->item[i].key, req->item[i].keylen);
		buf[off + pl + req->item[i].keylen] = '\0';
		argv[k] = buf + off;
		argvlen[k++] = pl + req->item[i].keylen;
		off += pl + req->item[i].keylen + 1;
	}
	if (put(buf, len, &off, argv, argvlen, &k, op[req->op],
	    strlen(op[req->op])) < 0)
		return 0;
	n = snprintf(num, sizeof(num), "%llu", (unsigned long long)req->now);
	if (put(buf, len, &off, argv, argvlen, &k, num, (size_t)n) < 0)
		return 0;
	for (i = 0; i < req->n; i++) {
		const struct rl_item *it = &req->item[i];

		n = snprintf(num, sizeof(num), "%u", it->window);
		if (put(buf, len, &off, argv, argvlen, &k, num, (size_t)n) < 0)
			return 0;
		n = snprintf(num, sizeof(num), "%llu",
		    (unsigned long long)it->limit);
		if (put(buf, len, &off, argv, argvlen, &k, num, (size_t)n) < 0)
			return 0;
		n = snprintf(num, sizeof(num), "%llu",
		    (unsigned long long)it->n);
		if (put(buf, len, &off, argv, argvlen, &k, num,
		    (size_t)n) < 0 || put(buf, len, &off, argv, argvlen, &k,
		    it->blocking ? "1" : "0", 1) < 0)
			return 0;
	}
	return k;
}

/* rl_lua_result - the script's reply {now, charged, counts...}; 0 or -1 */
int
rl_lua_result(const struct rl_req *req, const long long *v, size_t n,
    struct rl_result *res)
{
	size_t	 i;

	memset(res, 0, sizeof(*res));
	if (n != 2 + req->n || v[0] < 0) {
		res->status = RL_ERR;
		return -1;
	}
	res->now = (uint64_t)v[0];
	res->charged = v[1] == 1;
	for (i = 0; i < req->n; i++) {
		res->count[i] = v[2 + i] < 0 ? 0 : (uint64_t)v[2 + i];
		res->limit[i] = req->item[i].limit;
	}
	return 0;
}
