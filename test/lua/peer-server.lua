-- A LuaSocket server peer for the interop tests.
--
--   lua5.4 peer-server.lua [host]
--
-- Listens on host (default 127.0.0.1), port 0, prints "READY <port>", accepts
-- one connection, prints "ACCEPTED <peer port>", then runs the commands of
-- peer-session.lua on it until "exit" or the end of stdin.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local socket = require('socket')
local session = require('peer-session')

io.stdout:setvbuf('line')
local server = assert(socket.bind(arg[1] or '127.0.0.1', 0))
local _, port = server:getsockname()
print('READY ' .. port)

server:settimeout(5)
local c, err = server:accept()
server:close()
if not c then
  print('ERROR ' .. err)
  os.exit(1)
end
local _, peerport = c:getpeername()
print('ACCEPTED ' .. peerport)
session.run(c)
