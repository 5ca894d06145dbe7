/**
 * The Lua scripts of {@link RedisStore}. Redis runs a script atomically, so the liveness check, the
 * version check, the record write, its expiry and the due-index update of one write happen
 * together: no other client's command runs in between, and a client killed mid-call leaves either
 * all of it or none. Only commands that Redis 4.0 already had (DCS offers 4.0 to 7.0). A record is
 * a hash `{<prefix>}r:<key>` with fields `ver`, `val` (the value as JSON), `due` and `exp` (epoch
 * ms, absent when unset); the due index is the sorted set `{<prefix>}due` (member: the key, score:
 * `due`). The braces are a hash tag: every key of one store hashes to the same slot, so on a
 * cluster (DCS Proxy Cluster or Redis Cluster: "every key a script touches must be in the same
 * slot", EVAL routed by its first key) each script runs whole on one node. Every key a script
 * touches is in its KEYS; none is built inside a script. Liveness is judged against the caller's
 * clock (`now`), as the DynamoDB store judges its TTL attribute; Redis's own expiry (PEXPIRE,
 * relative, so it does not depend on the two clocks agreeing) only reclaims the memory.
 */

/** Fields of a record hash, in the order the scripts and `HMGET` return them. */
export const RECORD_FIELDS = ['ver', 'val', 'due', 'exp'] as const;

/** Write modes of {@link WRITE_SCRIPT}. */
export const WRITE_MODES = { put: 'put', create: 'create', update: 'update' } as const;
export type WriteMode = (typeof WRITE_MODES)[keyof typeof WRITE_MODES];

/**
 * KEYS: record, due index. ARGV: mode, expected version (update), now, value JSON, due ('' = not
 * listed), expiresAt ('' = kept), the index member (the store key). Returns 1 when written, 0 when a
 * condition failed. `put` continues a live record's version; after expiry every mode starts at 1.
 */
export const WRITE_SCRIPT = `
local now = tonumber(ARGV[3])
local cur = redis.call('HMGET', KEYS[1], 'ver', 'exp')
local live = cur[1] and (not cur[2] or tonumber(cur[2]) > now)
local mode = ARGV[1]
if mode == 'create' and live then return 0 end
if mode == 'update' and (not live or tonumber(cur[1]) ~= tonumber(ARGV[2])) then return 0 end
local ver = 1
if live then ver = tonumber(cur[1]) + 1 end
redis.call('DEL', KEYS[1])
if ARGV[6] ~= '' and tonumber(ARGV[6]) <= now then
  redis.call('ZREM', KEYS[2], ARGV[7])
  return 1
end
redis.call('HSET', KEYS[1], 'ver', ver, 'val', ARGV[4])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'exp', ARGV[6])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]) - now)
end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'due', ARGV[5])
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
else
  redis.call('ZREM', KEYS[2], ARGV[7])
end
return 1
`;

/**
 * KEYS: the due index, then the record of each member in ARGV (same order, same count). Removes
 * from the index each member whose record no longer exists (Redis expired it), checked here, so a
 * record written again since it was read keeps its entry. Returns how many were removed. Its work is
 * bounded by the members the caller passes (at most a page of `listDue`), far from DCS's 5 s limit.
 */
export const PRUNE_DUE_SCRIPT = `
local removed = 0
for i, m in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 1]) == 0 then
    removed = removed + redis.call('ZREM', KEYS[1], m)
  end
end
return removed
`;
