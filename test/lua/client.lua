-- Drives test/lua/server.lua's protocol with real LuaSocket and prints what
-- it sees, one line per exchange, then "done". Run against the LuaSocket
-- server and against its compat port, the two outputs must be identical.
--
-- Usage: lua5.4 client.lua <host> <port>

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local socket = require('socket')
local bytes = require('test-bytes')
local gen = bytes.gen
local host, port = arg[1], tonumber(arg[2])

local function quote(s)
  local escaped = s:gsub('.', function(c)
    local b = c:byte()
    if b < 32 or b > 126 or b == 34 or b == 92 then return string.format('\\x%02x', b) end
  end)
  return '"' .. escaped .. '"'
end

local function show(...)
  local out = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    out[i] = type(v) == 'string' and quote(v) or tostring(v)
  end
  print(table.concat(out, ' '))
  io.stdout:flush()
end

local c = assert(socket.connect(host, port))
c:settimeout(5)

local function ask(line)
  c:send(line .. '\n')
  show(c:receive())
end

ask('BOOT')
ask('ECHO hello world')
ask('ECHO tabs\tand\rcr\r')
ask('ECHO ' .. string.char(0, 1, 127, 128, 200, 255))
ask('NOPE')

-- Partial results with prefixes: the client sends a piece and stalls.
c:send('WAIT 0.3 - *l\npart')
show(c:receive())
c:send('\n')
show(c:receive())
c:send('WAIT 0.3 - 10 PFX\nabc')
show(c:receive())
c:send('WAIT 1 - 5 PFX\nabcdef')
show(c:receive())
c:send('\n')
show(c:receive())
c:send('WAIT 1 - *a\n')
show(c:receive())

-- A block timeout alone bounds the whole receive; with a total, each wait.
local function drip(header)
  c:send(header .. '\n')
  for i, piece in ipairs({ 'ab', 'cd', 'ef' }) do
    if i > 1 then socket.sleep(0.4) end
    c:send(piece)
  end
  show(c:receive())
end
drip('WAIT 0.6 - 100')
c:send('\n')
show(c:receive())
drip('WAIT 0.6 5 100')
drip('WAIT 5 0.6 100')
c:send('\n')
show(c:receive())

-- Send indices, as string.sub counts them.
for _, args in ipairs({ '2 4 abcdef', '-3 -2 abcdef', '10 20 abcdef', '0 -100 abcdef', '1 100 abcdef' }) do
  c:send('SEND ' .. args .. '\n')
  show(c:receive())
  show(c:receive())
end

-- Blocks of every size, both ways.
for _, n in ipairs({ 1, 8192, 65537, 1048576, 8388608 }) do
  c:send('BYTES ' .. n .. '\n')
  local data, err = c:receive(n)
  show(n, err, data == gen(n, n))
  c:send('SUM ' .. n .. '\n' .. gen(n, n + 1))
  show(c:receive())
end

ask('STATS')
ask('ADDR')
c:send('CLOSE\n')
show(c:receive())
show(c:send('x'))
c:close()

-- The server goes on accepting.
c = assert(socket.connect(host, port))
c:settimeout(5)
ask('ECHO again')
ask('QUIT')
show(c:receive())
c:close()
print('done')
