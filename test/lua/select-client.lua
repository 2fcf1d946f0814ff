-- A LuaSocket client for examples/compat/select-echo.ts: several connections
-- at once, lines sent interleaved and in pieces, echoes read with
-- socket.select, the way a LuaSocket program would.
--
--   lua5.4 select-client.lua <port> [clients] [lines]
--
-- Prints "OK <client> <lines echoed>" per client (or "BAD <client> ..." at
-- the first wrong echo), then "DONE", and closes every connection.

local socket = require('socket')
io.stdout:setvbuf('line')

local port, n, count = tonumber(arg[1]), tonumber(arg[2] or 3), tonumber(arg[3] or 5)
local clients, index = {}, {}
for i = 1, n do
  clients[i] = assert(socket.connect('127.0.0.1', port))
  clients[i]:settimeout(10)
  index[clients[i]] = i
end

-- Bytes a line must carry through: NUL and 0xFF (the CR of CRLF is dropped by '*l').
local function line(i, j)
  return string.format('client %d line %d \0\255 end', i, j)
end

-- Every client sends the first piece of its line, then every client the rest:
-- the server must keep a partial line per client.
for j = 1, count do
  for i = 1, n do assert(clients[i]:send(line(i, j):sub(1, 9))) end
  for i = 1, n do assert(clients[i]:send(line(i, j):sub(10) .. '\r\n')) end
end

local echoed, pending = {}, n * count
for i = 1, n do echoed[i] = 0 end
while pending > 0 do
  local readable, _, err = socket.select(clients, nil, 10)
  assert(not err, err)
  for _, c in ipairs(readable) do
    local i = index[c]
    local got, e = c:receive()
    assert(got, e)
    echoed[i] = echoed[i] + 1
    if got ~= line(i, echoed[i]) then
      print(string.format('BAD %d %q', i, got))
      os.exit(1)
    end
    pending = pending - 1
  end
end
for i = 1, n do print(string.format('OK %d %d', i, echoed[i])) end
print('DONE')
for i = 1, n do clients[i]:close() end
