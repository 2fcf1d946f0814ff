-- LuaSocket contender of the small-receives workload: receive(n) until the
-- peer's <bytes> are read. Prints "SMALL <calls> <seconds>".
--   lua5.4 bench/lua/small.lua <port> <n> <bytes>
local socket = require('socket')
local port, n, bytes = tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3])
local c = assert(socket.connect('127.0.0.1', port))
-- Let the kernel buffer fill, as the core's buffer is filled before timing.
socket.sleep(0.2)
local calls = bytes // n
local t0 = socket.gettime()
for _ = 1, calls do
  assert(c:receive(n))
end
print(string.format('SMALL %d %.6f', calls, socket.gettime() - t0))
c:close()
