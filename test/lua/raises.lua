-- Runs one Lua expression per stdin line against a fixed set of LuaSocket
-- objects and prints, per line, what it did: "ok<TAB>v1<TAB>v2..." with the
-- values it returned, or "raise<TAB>message" with the error's text, its
-- "chunk:line:" position taken off. test/helpers/lua-raises.ts builds the
-- same objects with the compat layer, so that both columns can be compared.
--
--   m  socket.tcp()              m4  socket.tcp4()        mb  socket.tcp() bound to 127.0.0.1:0
--   s  socket.bind(127.0.0.1:0)  c   a client of s        a   s's end of c
--   u  socket.udp()              u4  socket.udp4()        uc  socket.udp() with a peer
--   x  socket.unix()

local socket = require('socket')
socket.unix = require('socket.unix')

local s = assert(socket.bind('127.0.0.1', 0))
local port = tonumber((select(2, s:getsockname())))
local c = assert(socket.connect('127.0.0.1', port))
local a = assert(s:accept())
local mb = socket.tcp()
assert(mb:bind('127.0.0.1', 0))
local uc = socket.udp()
assert(uc:setpeername('127.0.0.1', port))
local env = setmetatable({
  socket = socket, s = s, c = c, a = a, m = socket.tcp(), m4 = socket.tcp4(), mb = mb,
  u = socket.udp(), u4 = socket.udp4(), uc = uc, x = socket.unix(),
}, { __index = _G })

local function show(v)
  if type(v) == 'number' then return string.format('%.14g', v) end
  if type(v) == 'table' then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for i, k in ipairs(keys) do keys[i] = k .. '=' .. show(v[k]) end
    return '{' .. table.concat(keys, ',') .. '}'
  end
  return tostring(v)
end

for line in io.lines() do
  -- Not a tail call, so that Lua knows the called method's name.
  local f, err = load('return table.pack(' .. line .. ')', '=row', 't', env)
  if f == nil then error(err) end
  local ok, r = pcall(f)
  if ok then
    local out = { 'ok' }
    for i = 1, r.n do out[#out + 1] = show(r[i]) end
    print(table.concat(out, '\t'))
  else
    print('raise\t' .. (tostring(r):gsub('^[^\n]-:%d+: ', '')))
  end
  io.stdout:flush()
end
