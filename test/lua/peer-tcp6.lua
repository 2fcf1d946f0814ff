-- A LuaSocket tcp6 peer on ::1 for the IPv6 interop tests.
--
--   lua5.4 peer-tcp6.lua server          listens on ::1 port 0, prints
--                                        "READY <port> <family>", accepts one connection,
--                                        prints "ACCEPTED <peer address> <family>"
--   lua5.4 peer-tcp6.lua client <port>   connects to ::1, prints "CONNECTED <address> <family>"
--
-- (or "ERROR <message>" and exits), then runs the commands of peer-session.lua.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local socket = require('socket')
local session = require('peer-session')

io.stdout:setvbuf('line')

local function fail(err)
  print('ERROR ' .. tostring(err))
  os.exit(1)
end

if arg[1] == 'server' then
  local server = assert(socket.tcp6())
  local ok, err = server:bind('::1', 0)
  if not ok then fail(err) end
  ok, err = server:listen()
  if not ok then fail(err) end
  local _, port, family = server:getsockname()
  print('READY ' .. port .. ' ' .. family)
  server:settimeout(5)
  local c, aerr = server:accept()
  server:close()
  if not c then fail(aerr) end
  local address, _, pfamily = c:getpeername()
  print('ACCEPTED ' .. address .. ' ' .. pfamily)
  session.run(c)
else
  local c = assert(socket.tcp6())
  local ok, err = c:connect('::1', assert(tonumber(arg[2]), 'port expected'))
  if not ok then fail(err) end
  local address, _, family = c:getsockname()
  print('CONNECTED ' .. address .. ' ' .. family)
  session.run(c)
end
