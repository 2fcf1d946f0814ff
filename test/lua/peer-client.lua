-- A LuaSocket client peer for the interop tests.
--
--   lua5.4 peer-client.lua <host> <port>
--
-- Connects, prints "CONNECTED <local port>" (or "ERROR <message>" and exits),
-- then runs the commands of peer-session.lua until "exit" or the end of stdin.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local socket = require('socket')
local session = require('peer-session')

io.stdout:setvbuf('line')
local host = assert(arg[1], 'host expected')
local port = assert(tonumber(arg[2]), 'port expected')
local c, err = socket.connect(host, port)
if not c then
  print('ERROR ' .. err)
  os.exit(1)
end
local _, localport = c:getsockname()
print('CONNECTED ' .. localport)
session.run(c)
