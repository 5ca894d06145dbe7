/**
 * The Lua scripts of {@link RedisStore}. Redis runs a script atomically, so the liveness check, the
 * version check, the record write, its expiry and the due-index update of one write happen together:
 * no other client's command runs in between, and a client killed mid-call leaves either all of it or
 * none. Only commands that Redis 4.0 already had (DCS offers 4.0 to 7.0).
 *
 * A record is a hash `{prefix}r:{key}` with fields `ver`, `val` (the value as JSON), `due` and `exp`
 * (epoch ms, absent when unset); the due index is the sorted set `{prefix}due` (member: the key,
 * score: `due`). Liveness is judged against the caller's clock (`now`), as the DynamoDB store judges
 * its TTL attribute; Redis's own expiry (PEXPIRE, relative, so it does not depend on the two clocks
 * agreeing) only reclaims the memory.
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
 * KEYS: due index. ARGV: the due cut-off, limit, record key prefix, and the store's clock (expiry is
 * judged on it; the cut-off when absent). Walks the index soonest first and returns up to `limit` live
 * records as flat tuples (key, ver, val, due, exp; '' for an absent field). Members
 * whose record Redis has already expired are removed from the index on the way, so they neither pile
 * up nor crowd live records out of the limit.
 */
export const LIST_DUE_SCRIPT = `
local now = tonumber(ARGV[4] or ARGV[1])
local limit = tonumber(ARGV[2])
local out = {}
local offset = 0
local found = 0
while found < limit do
  local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', offset, 100)
  if #members == 0 then break end
  local removed = 0
  for _, m in ipairs(members) do
    local r = redis.call('HMGET', ARGV[3] .. m, 'ver', 'val', 'due', 'exp')
    if not r[1] then
      redis.call('ZREM', KEYS[1], m)
      removed = removed + 1
    elseif (not r[4] or tonumber(r[4]) > now) and found < limit then
      found = found + 1
      table.insert(out, m)
      table.insert(out, r[1])
      table.insert(out, r[2])
      table.insert(out, r[3] or '')
      table.insert(out, r[4] or '')
    end
  end
  offset = offset + #members - removed
end
return out
`;
