-- LuaSec contender of the tls workload (LuaSec 1.x on LuaSocket): connect,
-- ssl.wrap in client mode verifying the peer against <cafile>, dohandshake,
-- then LuaSocket's receive patterns over the secured connection. Timed from
-- connect, the handshake included.
--   lua5.4 bench/lua/tls.lua recv <port> <cafile>   receive(65536) until closed
--                                                   -> "BULK <bytes> <seconds>"
--   lua5.4 bench/lua/tls.lua all <port> <cafile>    one receive('*a') -> "BULK <bytes> <seconds>"
--   lua5.4 bench/lua/tls.lua lines <port> <cafile>  receive('*l') until closed
--                                                   -> "LINES <count> <seconds> <chars>"
--   lua5.4 bench/lua/tls.lua handshakes <port> <cafile> <n>
--       n sequential connect, handshake, receive('*a') to the server's close, close
--       -> "HANDSHAKES <n> <seconds>"
local socket = require('socket')
local ssl = require('ssl')
local mode, port, cafile, n = arg[1], tonumber(arg[2]), arg[3], tonumber(arg[4])
local params = { mode = 'client', protocol = 'any', cafile = cafile, verify = 'peer',
                 options = 'all' }

local function open()
  local c = assert(ssl.wrap(assert(socket.connect('127.0.0.1', port)), params))
  c:sni('localhost')
  assert(c:dohandshake())
  return c
end

local t0 = socket.gettime()
if mode == 'recv' or mode == 'all' then
  local c = open()
  local total = 0
  if mode == 'all' then
    total = #assert(c:receive('*a'))
  else
    while true do
      local data, err, partial = c:receive(65536)
      if not data then
        total = total + #partial
        assert(err == 'closed', err)
        break
      end
      total = total + #data
    end
  end
  print(string.format('BULK %d %.6f', total, socket.gettime() - t0))
  c:close()
elseif mode == 'lines' then
  local c = open()
  local count, total = 0, 0
  while true do
    local line, err = c:receive('*l')
    if not line then
      assert(err == 'closed', err)
      break
    end
    count = count + 1
    total = total + #line
  end
  print(string.format('LINES %d %.6f %d', count, socket.gettime() - t0, total))
  c:close()
elseif mode == 'handshakes' then
  local done = 0
  for _ = 1, n do
    local c = open()
    -- The server ends the connection once the handshake is done: nothing comes before it.
    local rest, err, partial = c:receive('*a')
    assert((rest or partial) == '', err)
    c:close()
    done = done + 1
  end
  print(string.format('HANDSHAKES %d %.6f', done, socket.gettime() - t0))
else
  error('mode expected: recv, all, lines or handshakes')
end
