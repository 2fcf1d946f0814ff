-- What real LuaSec says of certificates, as JSON lines, for the interop test
-- to compare with compat's Certificate.
--   lua5.4 x509-dump.lua <t1,t2,...> <cert.pem>...
-- prints one line per certificate (every method's results, validat at each
-- time), then reads lines of certificate numbers from stdin ("1 2 3" is
-- cert1:issued(cert2, cert3)) and prints one line of results for each.
-- Byte strings are written byte for byte (\u00XX above 0x7F), so that
-- JSON.parse gives the Lua string as a one-byte-per-character string.
local ssl = require("ssl")

local json

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function encode_table(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  if #keys > 0 and #keys == #t then
    local out = {}
    for i = 1, #t do out[i] = json(t[i]) end
    return "[" .. table.concat(out, ",") .. "]"
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local out = {}
  for _, k in ipairs(keys) do
    out[#out + 1] = encode_string(tostring(k)) .. ":" .. json(t[k])
  end
  return "{" .. table.concat(out, ",") .. "}"
end

function json(v)
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" or t == "number" then return tostring(v) end
  if t == "string" then return encode_string(v) end
  if t == "table" then return encode_table(v) end
  return encode_string(tostring(v))
end

-- Every result of a call, nils included, as a JSON array.
local function results(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = json((select(i, ...))) end
  return "[" .. table.concat(out, ",") .. "]"
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local times = {}
for t in arg[1]:gmatch("[^,]+") do times[#times + 1] = math.tointeger(tonumber(t)) end

local certs = {}
for i = 2, #arg do
  local text = read(arg[i])
  local cert = ssl.loadcertificate(text)
  if not cert then error("LuaSec could not load " .. arg[i]) end
  certs[#certs + 1] = cert
end

for _, c in ipairs(certs) do
  local fields = {
    '"pem":' .. json(c:pem()),
    '"subject":' .. json(c:subject()),
    '"issuer":' .. json(c:issuer()),
    '"serial":' .. json(c:serial()),
    '"notbefore":' .. json(c:notbefore()),
    '"notafter":' .. json(c:notafter()),
    '"digest":' .. results(c:digest()),
    '"sha1":' .. results(c:digest("sha1")),
    '"sha256":' .. results(c:digest("sha256")),
    '"sha512":' .. results(c:digest("sha512")),
    '"md5":' .. results(c:digest("md5")),
    '"pubkey":' .. results(c:pubkey()),
    '"extensions":' .. json(c:extensions()),
    '"signature":' .. json(c:getsignaturename()),
    '"tostring":' .. json((tostring(c):gsub(": 0x%x+$", ""))),
  }
  local valid = {}
  for i, t in ipairs(times) do valid[i] = json(c:validat(t)) end
  fields[#fields + 1] = '"validat":[' .. table.concat(valid, ",") .. "]"
  fields[#fields + 1] = '"setencode":' .. results(c:setencode("utf8"))
  fields[#fields + 1] = '"subject8":' .. json(c:subject())
  fields[#fields + 1] = '"issuer8":' .. json(c:issuer())
  fields[#fields + 1] = '"extensions8":' .. json(c:extensions())
  c:setencode("ai5")
  print("{" .. table.concat(fields, ",") .. "}")
end
io.stdout:flush()

for line in io.lines() do
  local list = {}
  for n in line:gmatch("%d+") do list[#list + 1] = certs[tonumber(n)] end
  print(results(list[1]:issued(table.unpack(list, 2))))
  io.stdout:flush()
end
