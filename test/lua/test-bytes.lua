-- Byte helpers shared by the Lua peer scripts of the tests: hex both ways,
-- the tests' byte generator, a hash to report large blocks, and one-line
-- JSON output. Loaded with require('test-bytes') once a script has put its
-- own directory on package.path.

local M = {}

function M.tohex(s)
  return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end))
end

--- '-' (or nothing) stands for the empty string.
function M.fromhex(h)
  if h == nil or h == '-' then return '' end
  return (h:gsub('..', function(x) return string.char(tonumber(x, 16)) end))
end

--- The test's byte generator: a 31-bit LCG, one byte from bits 16..23 per step.
function M.gen(n, seed)
  local parts, t, x, done = {}, {}, seed, 0
  while done < n do
    local k = math.min(4096, n - done)
    for j = 1, k do
      x = (x * 1103515245 + 12345) & 0x7fffffff
      t[j] = (x >> 16) & 255
    end
    parts[#parts + 1] = string.char(table.unpack(t, 1, k))
    done = done + k
  end
  return table.concat(parts)
end

--- 32-bit FNV-1a, to report a large block without printing it.
function M.fnv(s)
  local h = 0x811c9dc5
  for i = 1, #s, 4096 do
    local bytes = { s:byte(i, math.min(#s, i + 4095)) }
    for j = 1, #bytes do h = ((h ~ bytes[j]) * 16777619) & 0xffffffff end
  end
  return h
end

local function encode(v)
  if v == nil then return 'null' end
  if type(v) == 'number' then return string.format('%d', v) end
  return '"' .. tostring(v):gsub('[%c"\\]', function(c) return string.format('\\u%04x', c:byte()) end) .. '"'
end

--- Prints key/value pairs as one JSON object, keys in the order given, nil as null.
function M.emit(...)
  local n, out = select('#', ...), {}
  for i = 1, n, 2 do
    local k, v = select(i, ...)
    out[#out + 1] = '"' .. k .. '":' .. encode(v)
  end
  io.write('{', table.concat(out, ','), '}\n')
  io.flush()
end

return M
