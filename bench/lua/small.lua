-- LuaSocket contender of the small-receives workload: <calls> receive(n)
-- while the peer streams, timed from connect; then receive('*a') must find
-- nothing left. Prints "SMALL <calls> <seconds> <bytes> <bytes left>".
--   lua5.4 bench/lua/small.lua <port> <n> <calls> [prebuffered]
-- With `prebuffered`, a 0.2 s pause before timing lets the kernel buffer
-- fill first (the old way, kept as an extra row).
local socket = require('socket')
local port, n, calls = tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3])
local c = assert(socket.connect('127.0.0.1', port))
if arg[4] == 'prebuffered' then socket.sleep(0.2) end
local got = 0
local t0 = socket.gettime()
for _ = 1, calls do
  got = got + #assert(c:receive(n))
end
local seconds = socket.gettime() - t0
-- receive('*a') that reads nothing before the close answers nil, 'closed', ''.
local rest, err, partial = c:receive('*a')
assert(rest or err == 'closed', err)
print(string.format('SMALL %d %.6f %d %d', calls, seconds, got, #(rest or partial)))
c:close()
