-- One receive session against LuaSocket's buffer, for test/fuzz/model.ts.
--
--   lua5.4 buffer-session.lua
--
-- Opens a loopback connection to itself: a writer end and a reader end. It
-- then runs the commands on stdin, one per line, in order:
--
--   write <hex>             the writer sends the bytes
--   fin                     the writer shuts its sending side (a FIN)
--   reset                   the writer closes with linger 0 (a RST)
--   timeout <seconds>       reader:settimeout(seconds)
--   recv <l|a|n> <hex|->    reader:receive('*l' | '*a' | n, prefix); prints
--                           "ok <hex>" or "err <message> <hex>" (the partial)
--
-- and prints "done". The writer only writes between receives, and each write
-- is given a pause to arrive, so the bytes a receive can see are exactly the
-- ones written before it: its answer is a function of them, which the model
-- predicts. Hex is '-' for no bytes.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '../lua/?.lua;' .. package.path
local socket = require('socket')
local bytes = require('test-bytes')

io.stdout:setvbuf('line')

-- Long enough for loopback to hand the bytes (or the FIN, the RST) over.
local ARRIVAL = 0.001

local server = assert(socket.bind('127.0.0.1', 0))
local _, port = server:getsockname()
local reader = assert(socket.connect('127.0.0.1', port))
local writer = assert(server:accept())
server:close()
reader:settimeout(0)

local function hex(s)
  if s == nil or s == '' then return '-' end
  return bytes.tohex(s)
end

for line in io.lines() do
  local cmd, a, b = line:match('^(%S+)%s*(%S*)%s*(%S*)$')
  if cmd == 'write' then
    assert(writer:send(bytes.fromhex(a)))
    socket.sleep(ARRIVAL)
  elseif cmd == 'fin' then
    writer:shutdown('send')
    socket.sleep(ARRIVAL)
  elseif cmd == 'reset' then
    writer:setoption('linger', { on = true, timeout = 0 })
    writer:close()
    socket.sleep(ARRIVAL)
  elseif cmd == 'timeout' then
    reader:settimeout(tonumber(a))
  elseif cmd == 'recv' then
    local pattern = a == 'l' and '*l' or a == 'a' and '*a' or tonumber(a)
    local prefix = b ~= '-' and bytes.fromhex(b) or nil
    local data, err, partial = reader:receive(pattern, prefix)
    if data ~= nil then print('ok ' .. hex(data)) else print('err ' .. err .. ' ' .. hex(partial)) end
  else
    error('unknown command: ' .. line)
  end
end
print('done')
reader:close()
writer:close()
