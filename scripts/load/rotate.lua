-- wrk script for scripts/load.sh: rotates through the lines of PATHS_FILE,
-- sends COOKIE (if set) with each request, counts answers outside 2xx
-- (wrk itself counts 3xx as success) and prints one RESULT line.
--
-- Environment:
--   PATHS_FILE  one request path per line; with MODE=login each line is
--               "username password" and the request is POST /api/v1/session
--   COOKIE      a Cookie header value, e.g. "cb_session=..."
--   DELAY_MS    wait this long between requests on each connection
--               (used for the /healthz probe beside the main load)
--   MODE        "get" (default) or "login"

local mode = os.getenv("MODE") or "get"
local cookie = os.getenv("COOKIE")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "")
local lines = {}
local next_line = 0
-- A global, not a local: done() reads it from each thread with
-- thread:get, which sees only the thread's globals (as a local it read 0
-- whatever was answered).
non2xx = 0
-- The first answers outside 2xx, by status ("429 429 503 "), so that the
-- RESULT line says which they were.
odd = ""
local threads = {}

local function load_lines()
  local file = os.getenv("PATHS_FILE")
  if file == nil then
    return { "/" }
  end
  local out = {}
  for line in io.lines(file) do
    if line ~= "" then
      out[#out + 1] = line
    end
  end
  return out
end

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  lines = load_lines()
  -- Threads start at different places of the list.
  math.randomseed(os.time() + #tostring({}))
  next_line = math.random(#lines) - 1
  if cookie ~= nil and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
end

function request()
  next_line = next_line % #lines + 1
  local line = lines[next_line]
  if mode == "login" then
    local user, pass = line:match("^(%S+)%s+(%S+)$")
    local body = string.format('{"username":"%s","password":"%s"}', user, pass)
    return wrk.format("POST", "/api/v1/session",
      { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("GET", line)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if #odd < 400 then
      odd = odd .. status .. " "
    end
  end
end

if delay_ms ~= nil then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local non = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    non = non + (thread:get("non2xx") or 0)
    for status in string.gmatch(thread:get("odd") or "", "%d+") do
      by_status[status] = (by_status[status] or 0) + 1
    end
  end
  local seen = {}
  for status, n in pairs(by_status) do
    seen[#seen + 1] = status .. "x" .. n
  end
  table.sort(seen)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d "
      .. "connect=%d read=%d write=%d timeout=%d statuses=%s\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non, e.connect, e.read, e.write, e.timeout,
    #seen > 0 and table.concat(seen, ",") or "-"))
end
