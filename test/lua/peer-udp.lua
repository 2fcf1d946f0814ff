-- A LuaSocket UDP peer for the interop tests.
--
--   lua5.4 peer-udp.lua [host]
--
-- Binds a UDP object to host (default 127.0.0.1), port 0, prints
-- "READY <port>", then runs one command per stdin line and prints exactly one
-- JSON line for each, with LuaSocket's results. Byte strings travel as hex
-- ('-' is the empty string), so every byte value survives.
--
--   sendto <hex|-> <port>          u:sendto(bytes, host, port)   {"sent":n,"err":e}
--   send <hex|->                   u:send(bytes) (connected)     {"sent":n,"err":e}
--   recv [size|-] [timeout|-]      u:receivefrom(size), or u:receive(size) when connected
--                                  {"data":hex,"ip":ip,"port":n,"err":e}
--   echo <count> [size|-]          receivefrom, then sendto back to the sender, count times
--                                  {"echoed":n,"err":e}
--   connect <port|*>               u:setpeername(host, port) or u:setpeername('*')  {"ok":1,"err":e}
--   exit                           ends the script (no output)

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local socket = require('socket')
local bytes = require('test-bytes')
local tohex, fromhex, emit = bytes.tohex, bytes.fromhex, bytes.emit

-- No call may block forever: a test that goes wrong ends with a timeout, not a hang.
local DEFAULT_TIMEOUT = 5

io.stdout:setvbuf('line')
local host = arg[1] or '127.0.0.1'
local u = assert(socket.udp())
assert(u:setsockname(host, 0))
u:settimeout(DEFAULT_TIMEOUT)
local _, port = u:getsockname()
print('READY ' .. port)

local connected = false

for line in io.lines() do
  local w = {}
  for word in line:gmatch('%S+') do w[#w + 1] = word end
  local cmd = w[1]
  if cmd == 'exit' then
    break
  elseif cmd == 'sendto' then
    local sent, err = u:sendto(fromhex(w[2]), host, tonumber(w[3]))
    emit('sent', sent, 'err', err)
  elseif cmd == 'send' then
    local sent, err = u:send(fromhex(w[2]))
    emit('sent', sent, 'err', err)
  elseif cmd == 'recv' then
    local size = tonumber(w[2] or '-')
    local t = tonumber(w[3] or '-')
    if t then u:settimeout(t) end
    local data, ip, p
    if connected then
      data, ip = u:receive(size)
    else
      data, ip, p = u:receivefrom(size)
    end
    if t then u:settimeout(DEFAULT_TIMEOUT) end
    if data then
      emit('data', tohex(data), 'ip', ip, 'port', p, 'err', nil)
    else
      emit('data', nil, 'ip', nil, 'port', nil, 'err', ip)
    end
  elseif cmd == 'echo' then
    local count, size = tonumber(w[2]), tonumber(w[3] or '-')
    local echoed, err = 0, nil
    for _ = 1, count do
      local data, ip, p = u:receivefrom(size)
      if not data then err = ip break end
      local sent, e = u:sendto(data, ip, p)
      if not sent then err = e break end
      echoed = echoed + 1
    end
    emit('echoed', echoed, 'err', err)
  elseif cmd == 'connect' then
    local ok, err
    if w[2] == '*' then ok, err = u:setpeername('*') else ok, err = u:setpeername(host, tonumber(w[2])) end
    connected = ok ~= nil and w[2] ~= '*'
    emit('ok', ok, 'err', err)
  else
    emit('error', 'unknown command: ' .. tostring(cmd))
  end
end
u:close()
