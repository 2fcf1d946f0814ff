-- What LuaSocket's socket.select does with list entries that are not
-- sockets, for test/interop/compat-select-entries-luasocket.test.ts.
--
--   lua5.4 select-entries.lua
--
-- Prints one line per case and list: "<case> <recvt|sendt> <answer>", where
-- the answer is "raised <message>" or "<#readable> <#writable> <err>".

local socket = require('socket')
io.stdout:setvbuf('line')

local cases = {
  { 'integer', 1 },
  { 'float', 1.5 },
  { 'zero', 0 },
  { 'true', true },
  { 'false', false },
  { 'function', function() end },
  { 'string', 'x' },
  { 'empty-string', '' },
  { 'table', {} },
}

local function answer(ok, r, w, err)
  if not ok then return 'raised ' .. tostring(r) end
  return string.format('%d %d %s', #r, #w, tostring(err))
end

for _, case in ipairs(cases) do
  local name, entry = case[1], case[2]
  print(name .. ' recvt ' .. answer(pcall(socket.select, { entry }, nil, 0)))
  print(name .. ' sendt ' .. answer(pcall(socket.select, nil, { entry }, 0)))
end
print('DONE')
