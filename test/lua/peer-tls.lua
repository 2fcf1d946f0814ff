-- A LuaSec peer for the TLS interop tests: a server or a client whose
-- connection, once its handshake is done, runs the commands of
-- peer-session.lua (send, recv, settimeout, stats, close: what LuaSec's
-- connection object has).
--
--   lua5.4 peer-tls.lua server <certfile> <keyfile>
--       listens on 127.0.0.1 port 0, prints "READY <port>", accepts one
--       connection and wraps it in server mode
--   lua5.4 peer-tls.lua client <host> <port> <cafile|-> [<sni>]
--       connects and wraps in client mode, verifying the peer against
--       cafile ("-": no verification), sending <sni> when given
--
-- Then prints "SECURE <protocol>" after dohandshake, or "ERROR <message>"
-- (and exits) when the handshake or the connect failed.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local socket = require('socket')
local ssl = require('ssl')
local session = require('peer-session')

io.stdout:setvbuf('line')

local function fail(err)
  print('ERROR ' .. tostring(err))
  os.exit(1)
end

local mode = arg[1]
local plain, params
if mode == 'server' then
  local server = assert(socket.bind('127.0.0.1', 0))
  local _, port = server:getsockname()
  print('READY ' .. port)
  server:settimeout(5)
  local err
  plain, err = server:accept()
  server:close()
  if not plain then fail(err) end
  params = { mode = 'server', protocol = 'any', certificate = arg[2], key = arg[3],
             verify = 'none', options = 'all' }
elseif mode == 'client' then
  local err
  plain, err = socket.connect(arg[2], tonumber(arg[3]))
  if not plain then fail(err) end
  local verify = arg[4] ~= '-'
  params = { mode = 'client', protocol = 'any', options = 'all',
             verify = verify and 'peer' or 'none', cafile = verify and arg[4] or nil }
else
  fail('mode expected: server or client')
end

local conn, err = ssl.wrap(plain, params)
if not conn then fail(err) end
if arg[5] then conn:sni(arg[5]) end
conn:settimeout(5)
local ok, herr = conn:dohandshake()
if not ok then fail(herr) end
print('SECURE ' .. tostring(conn:info('protocol')))
session.run(conn)
