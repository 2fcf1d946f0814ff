-- LuaSocket contender of the bulk workload. Prints "BULK <bytes> <seconds>".
--   lua5.4 bench/lua/bulk.lua recv <port>          receive(65536) until closed
--   lua5.4 bench/lua/bulk.lua all <port>           one receive('*a')
--   lua5.4 bench/lua/bulk.lua send <port> <bytes>  send 64 KiB pieces, then read the sink's
--                                                  count of bytes received (printed as <bytes>)
local socket = require('socket')
local mode, port, bytes = arg[1], tonumber(arg[2]), tonumber(arg[3])
local c = assert(socket.connect('127.0.0.1', port))
local t0 = socket.gettime()
local total = 0
if mode == 'recv' then
  while true do
    local data, err, partial = c:receive(65536)
    if not data then
      total = total + #partial
      assert(err == 'closed', err)
      break
    end
    total = total + #data
  end
elseif mode == 'all' then
  total = #assert(c:receive('*a'))
else
  local piece = string.rep('y', 65536)
  while total < bytes do
    assert(c:send(piece))
    total = total + #piece
  end
  c:shutdown('send')
  total = assert(tonumber(assert(c:receive('*l'))))
end
print(string.format('BULK %d %.6f', total, socket.gettime() - t0))
c:close()
