-- The LuaSocket side of bench/workloads/select.ts: socket.select over idle connected
-- TCP sockets plus one that is (or becomes) readable.
--
--   lua5.4 bench/lua/select.lua <port> <idle>
--
-- Connects <idle> clients to 127.0.0.1:<port>, where the benchmark holds
-- their peers and never writes. One more pair (busy, busyPeer) lives in this
-- process so that it can make busy readable itself. All descriptors stay
-- below FD_SETSIZE (1024), LuaSocket's limit. Prints "READY", then runs one
-- command per stdin line and prints one result line:
--
--   fast N  select N times while busy holds an unread byte -> "fast <us per call>"
--   wait N  N times: busyPeer sends a byte, select, busy reads it -> "wait <us per call>"
--   heap N  N fast selects -> "heap <allocated bytes per call> <retained bytes per call>"
--   exit

local socket = require('socket')
io.stdout:setvbuf('line')

local port, idle = tonumber(arg[1]), tonumber(arg[2])
local recvt = {}
for i = 1, idle do
  recvt[i] = assert(socket.connect('127.0.0.1', port))
end
local server = assert(socket.bind('127.0.0.1', 0))
local _, localPort = server:getsockname()
local busy = assert(socket.connect('127.0.0.1', localPort))
local busyPeer = assert(server:accept())
server:close()
recvt[#recvt + 1] = busy
assert(busy:getfd() < 1024, 'descriptors past FD_SETSIZE')

-- select returns (readable, writable) when something is ready, ({}, {}, 'timeout') otherwise.
local function check(r, _, err)
  if err ~= nil or #r ~= 1 or r[1] ~= busy then error('select: ' .. tostring(err) .. ', ' .. #r .. ' readable') end
end

local function fast(n)
  assert(busyPeer:send('x'))
  check(socket.select(recvt, nil))
  local t0 = socket.gettime()
  for _ = 1, n do check(socket.select(recvt, nil)) end
  local t1 = socket.gettime()
  assert(busy:receive(1))
  return (t1 - t0) * 1e6 / n
end

local function wait(n)
  local t0 = socket.gettime()
  for _ = 1, n do
    busyPeer:send('x')
    check(socket.select(recvt, nil))
    busy:receive(1)
  end
  return (socket.gettime() - t0) * 1e6 / n
end

local function heap(n)
  assert(busyPeer:send('x'))
  check(socket.select(recvt, nil))
  collectgarbage('collect')
  local before = collectgarbage('count')
  collectgarbage('stop')
  for _ = 1, n do check(socket.select(recvt, nil)) end
  local allocated = collectgarbage('count') - before
  collectgarbage('restart')
  collectgarbage('collect')
  local retained = collectgarbage('count') - before
  assert(busy:receive(1))
  return allocated * 1024 / n, retained * 1024 / n
end

print('READY')
for line in io.lines() do
  local cmd, n = line:match('^(%a+)%s*(%d*)$')
  n = tonumber(n)
  if cmd == 'fast' then
    print(string.format('fast %.3f', fast(n)))
  elseif cmd == 'wait' then
    print(string.format('wait %.3f', wait(n)))
  elseif cmd == 'heap' then
    print(string.format('heap %.3f %.3f', heap(n)))
  elseif cmd == 'exit' then
    break
  else
    error('unknown command: ' .. line)
  end
end
busyPeer:close()
busy:close()
for _, c in ipairs(recvt) do c:close() end
