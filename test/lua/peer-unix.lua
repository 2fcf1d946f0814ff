-- A LuaSocket Unix domain stream peer (socket.unix) for the interop tests.
--
--   lua5.4 peer-unix.lua server <path>   binds path, prints "READY <getsockname>",
--                                        accepts one connection, prints "ACCEPTED <getsockname>"
--   lua5.4 peer-unix.lua client <path>   connects, prints "CONNECTED <tostring>"
--
-- (or "ERROR <message>" and exits), then runs the commands of peer-session.lua.
-- LuaSocket does not remove the socket file: the test does.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
require('socket')
local unix = require('socket.unix')
local session = require('peer-session')

io.stdout:setvbuf('line')
local mode = assert(arg[1], 'server or client expected')
local path = assert(arg[2], 'path expected')

local function fail(err)
  print('ERROR ' .. tostring(err))
  os.exit(1)
end

if mode == 'server' then
  local server = unix()
  local ok, err = server:bind(path)
  if not ok then fail(err) end
  ok, err = server:listen()
  if not ok then fail(err) end
  print('READY ' .. server:getsockname())
  server:settimeout(5)
  local c, aerr = server:accept()
  server:close()
  if not c then fail(aerr) end
  print('ACCEPTED ' .. c:getsockname())
  session.run(c)
else
  local c = unix()
  local ok, err = c:connect(path)
  if not ok then fail(err) end
  print('CONNECTED ' .. tostring(c):match('^[^:]+'))
  session.run(c)
end
