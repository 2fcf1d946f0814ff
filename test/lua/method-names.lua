-- The method tables of real LuaSocket's objects, for
-- test/interop/compat-methods-luasocket.test.ts: makes one object of each
-- class and prints, per class, what its metatable's __index table holds.
--
--   lua5.4 method-names.lua <socket path>
--
-- Prints "<class> <kind>:<name> ..." lines, names sorted, each name with
-- the type of its value (function, string), then "DONE". A second line per
-- class, "<class> meta <name> ...", lists the metatable's other keys that
-- hold functions (__gc, __tostring).

local socket = require('socket')
local unix = require('socket.unix')
io.stdout:setvbuf('line')

local function show(o)
  local mt = getmetatable(o)
  local class = tostring(o):match('^[^:]+')
  local names, meta = {}, {}
  for k, v in pairs(mt.__index) do names[#names + 1] = type(v) .. ':' .. k end
  for k, v in pairs(mt) do
    if type(v) == 'function' then meta[#meta + 1] = k end
  end
  table.sort(names)
  table.sort(meta)
  print(class .. ' ' .. table.concat(names, ' '))
  print(class .. ' meta ' .. table.concat(meta, ' '))
end

local master = assert(socket.tcp())
show(master)
local server = assert(socket.bind('127.0.0.1', 0))
show(server)
local _, port = server:getsockname()
local client = assert(socket.connect('127.0.0.1', port))
show(client)
local u = assert(socket.udp())
show(u)
assert(u:setpeername('127.0.0.1', port))
show(u)

local path = arg[1]
local um = assert(unix.stream())
show(um)
assert(um:bind(path))
assert(um:listen())
show(um)
local uc = assert(unix.stream())
assert(uc:connect(path))
show(uc)

for _, o in ipairs({ master, server, client, u, um, uc }) do o:close() end
os.remove(path)
print('DONE')
