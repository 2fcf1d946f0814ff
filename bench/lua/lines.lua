-- LuaSocket contender of the lines workload: connect, receive('*l') until
-- the peer closes. Prints "LINES <count> <seconds>" (timed from connect).
--   lua5.4 bench/lua/lines.lua <port>
local socket = require('socket')
local c = assert(socket.connect('127.0.0.1', tonumber(arg[1])))
local t0 = socket.gettime()
local n, total = 0, 0
while true do
  local line, err = c:receive('*l')
  if not line then
    assert(err == 'closed', err)
    break
  end
  n = n + 1
  total = total + #line
end
print(string.format('LINES %d %.6f %d', n, socket.gettime() - t0, total))
c:close()
