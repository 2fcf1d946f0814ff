-- One LuaSec handshake, reported: what the compat ssl module's answers are
-- compared with. Prints one line per step, then exits.
--
--   lua5.4 ssl-probe.lua client <port> <cafile|-> <timeout> [<certfile> <keyfile>]
--       connects to 127.0.0.1:<port>, wraps in client mode (verify peer
--       against cafile, "-": verify none), sets the timeout and prints
--       "HANDSHAKE <ok> <err>", "WANT <want>", "VERIFY <ok> <err>"
--   lua5.4 ssl-probe.lua server <certfile> <keyfile> <cafile|-> <verify,...> <timeout>
--       prints "READY <port>", accepts one connection, wraps it in server
--       mode with those verify flags, and prints the same three lines
--   lua5.4 ssl-probe.lua poll <port> <cafile>
--       LuaSec's wantread sample: settimeout(0), dohandshake and receive("*l")
--       retried around socket.select; prints each "ERR <err>" it waited on
--       (once per kind), then "LINE <line>"

local socket = require('socket')
local ssl = require('ssl')
io.stdout:setvbuf('line')

local function report(conn, ok, err)
  print('HANDSHAKE ' .. tostring(ok) .. ' ' .. tostring(err))
  print('WANT ' .. tostring(conn:want()))
  local vok, verr = conn:getpeerverification()
  print('VERIFY ' .. tostring(vok) .. ' ' .. tostring(verr))
end

local function split(list)
  local out = {}
  for v in list:gmatch('[^,]+') do out[#out + 1] = v end
  return out
end

local mode = arg[1]
if mode == 'client' then
  local tcp = assert(socket.connect('127.0.0.1', tonumber(arg[2])))
  local verify = arg[3] ~= '-'
  local conn = assert(ssl.wrap(tcp, {
    mode = 'client', protocol = 'any', options = 'all',
    verify = verify and 'peer' or 'none', cafile = verify and arg[3] or nil,
    certificate = arg[5], key = arg[6],
  }))
  conn:settimeout(tonumber(arg[4]))
  report(conn, conn:dohandshake())
  conn:close()
elseif mode == 'server' then
  local server = assert(socket.bind('127.0.0.1', 0))
  local _, port = server:getsockname()
  print('READY ' .. port)
  server:settimeout(10)
  local tcp = assert(server:accept())
  server:close()
  local conn = assert(ssl.wrap(tcp, {
    mode = 'server', protocol = 'any', options = 'all',
    certificate = arg[2], key = arg[3], cafile = arg[4] ~= '-' and arg[4] or nil,
    verify = split(arg[5]),
  }))
  conn:settimeout(tonumber(arg[6]))
  report(conn, conn:dohandshake())
  conn:close()
elseif mode == 'poll' then
  local tcp = assert(socket.connect('127.0.0.1', tonumber(arg[2])))
  local conn = assert(ssl.wrap(tcp, {
    mode = 'client', protocol = 'any', verify = 'peer', cafile = arg[3], options = 'all',
  }))
  conn:settimeout(0)
  local seen = {}
  local function wait(err)
    if not seen[err] then print('ERR ' .. err); seen[err] = true end
    if err == 'wantread' or err == 'timeout' then socket.select({ conn }, nil, 5)
    elseif err == 'wantwrite' then socket.select(nil, { conn }, 5)
    else os.exit(1) end
  end
  local ok, err = conn:dohandshake()
  while not ok do wait(err); ok, err = conn:dohandshake() end
  local line, rerr = conn:receive('*l')
  while not line do wait(rerr); line, rerr = conn:receive('*l') end
  print('LINE ' .. line)
  conn:close()
end
