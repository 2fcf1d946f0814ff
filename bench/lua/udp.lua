-- LuaSocket contender of the UDP workload: receive datagrams until 0.3 s of
-- quiet. Prints "PORT <port>", then "UDP <count> <seconds first..last> <cpu seconds>".
--   lua5.4 bench/lua/udp.lua [<receive buffer bytes>]
local socket = require('socket')
local u = assert(socket.udp())
assert(u:setsockname('127.0.0.1', 0))
if arg[1] then assert(u:setoption('recv-buffer-size', tonumber(arg[1]))) end
local _, port = u:getsockname()
io.stdout:setvbuf('line')
print('PORT ' .. port)
u:settimeout(10)
local count, first, last = 0, 0, 0
local cpu0 = os.clock()
while true do
  local d = u:receive()
  if not d then break end
  last = socket.gettime()
  if count == 0 then
    first = last
    u:settimeout(0.3)
  end
  count = count + 1
end
print(string.format('UDP %d %.6f %.6f', count, last - first, os.clock() - cpu0))
u:close()
