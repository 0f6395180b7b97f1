-- The clerks benchmark's journeys for wrk (bench.clerks_load runs it): one wrk thread per
-- clerk, one connection each, so that a thread's Lua state is one clerk's journey.
--
-- A journey: home (GET /api/v1/plans), the plan (its overview), an item, upload evidence (a
-- ~20 KB PDF, different each time), complete step 6.8 citing it, the item again, reopen the
-- step. Clerk n works on the items k with k % concurrency == n (no two clerks write the same
-- stream). BENCH_MODE=bare: the same clerks ask the bare endpoint (/bench/memory) in a loop.
--
-- Latency is measured here, from the request's write to the whole response (a monotonic clock
-- through LuaJIT's FFI); done() prints a "<route> <us>" line per response, and "ERR <count>",
-- "SOCKERR <count>", "SAMPLE <text>" and "DUR <us>" lines for bench.clerks_load to summarise.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } clerks_timespec;
int clock_gettime(int clk_id, clerks_timespec *tp);
]]
local ts = ffi.new("clerks_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local MODE = os.getenv("BENCH_MODE") or "journey"
local CONCURRENCY = tonumber(os.getenv("BENCH_CONCURRENCY") or "1")
-- BENCH_CLERKS_FILE: one line per LAO, "<Authorization>|<plan id>|<item id>,<item id>,...".
-- Clerk n works in LAO n % #LAOs, on the items of that LAO it shares
-- with no other clerk. init() sets these for the thread's clerk:
local PLAN, AUTH, JSON, MULTIPART

-- setup() runs in the main state, once per thread: the clerk's number.
local threads = {}
local counter = 0
function setup(thread)
  thread:set("clerk", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- each thread's own state from here. done() reads it with thread:get, which copies strings
-- and numbers safely (wrk 4.1 crashes copying a table of tables): the latencies are kept as
-- text, "route us" lines, in a short string that is appended to the long one now and then
-- (so that each response copies a short string, not all of them).
out = ""
tail = ""
local in_tail = 0
errors = 0
samples = "" -- the first few errors' texts, one a line
local sampled = 0

local mine = {}
local route, started, sha
local step = 1
local k = 0
local item_url

local BOUNDARY = "clerksbenchboundary7f3a"

function init(args)
  local laos = {}
  for entry in io.lines(os.getenv("BENCH_CLERKS_FILE")) do
    if entry ~= "" then
      table.insert(laos, entry)
    end
  end
  local n = #laos
  local auth, plan, items = string.match(laos[(clerk % n) + 1], "^([^|]*)|([^|]*)|(.*)$")
  PLAN = plan
  AUTH = auth
  wrk.headers["Authorization"] = AUTH -- the GETs
  -- wrk.format takes these instead of wrk.headers, not with them: each names the token too
  JSON = { ["Authorization"] = AUTH, ["Content-Type"] = "application/json" }
  MULTIPART = {
    ["Authorization"] = AUTH,
    ["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY,
  }
  -- the clerks of this LAO: clerk, clerk + n, clerk + 2n, ... below CONCURRENCY
  local sharing = math.floor((CONCURRENCY - 1 - (clerk % n)) / n) + 1
  local me = math.floor(clerk / n)
  local all = {}
  for id in string.gmatch(items, "[^,]+") do
    table.insert(all, id)
  end
  for i, id in ipairs(all) do
    if (i - 1) % sharing == me then
      table.insert(mine, id)
    end
  end
  if #mine == 0 and #all > 0 then
    table.insert(mine, all[(clerk % #all) + 1])
  end
  math.randomseed(os.time() * 1000 + clerk)
end

local PAD = "%" .. string.rep("x", 20000 - 120) .. "\n"

local function pdf()
  local hex = {}
  for i = 1, 16 do
    hex[i] = string.format("%x", math.random(0, 15))
  end
  return "%PDF-1.4\n%" .. table.concat(hex) .. "\n1 0 obj << /Type /Catalog >> endobj\n"
    .. PAD .. "trailer << /Root 1 0 R >>\n%%EOF\n"
end

local function upload_body()
  return "--" .. BOUNDARY .. "\r\n"
    .. 'Content-Disposition: form-data; name="data"; filename="report.pdf"\r\n'
    .. "Content-Type: application/pdf\r\n\r\n"
    .. pdf() .. "\r\n--" .. BOUNDARY .. "--\r\n"
end


-- the journey's steps, in order: route name and a function making the request
local journey = {
  { "home", function() return wrk.format("GET", "/api/v1/plans") end },
  { "plan", function() return wrk.format("GET", "/api/v1/plans/" .. PLAN) end },
  { "item", function() return wrk.format("GET", item_url) end },
  { "upload", function() return wrk.format("POST", "/api/v1/evidence", MULTIPART, upload_body()) end },
  { "complete", function()
      return wrk.format("POST", item_url .. "/steps/6.8/complete", JSON,
        '{"on": "2026-11-30", "note": "ดำเนินการแล้ว", "files": ["' .. sha .. '"]}')
    end },
  { "item", function() return wrk.format("GET", item_url) end },
  { "reopen", function()
      return wrk.format("POST", item_url .. "/steps/6.8/reopen", JSON,
        '{"reason": "แก้ไขหลักฐาน"}')
    end },
}

function request()
  if MODE == "bare" then
    route = "bare"
    started = now_us()
    return wrk.format("GET", "/bench/memory")
  end
  if step == 1 then
    k = k + 1
    item_url = "/api/v1/plans/" .. PLAN .. "/items/" .. mine[((k - 1) % #mine) + 1]
  end
  route = journey[step][1]
  local req = journey[step][2]()
  started = now_us()
  return req
end

function response(status, headers, body)
  local took = now_us() - started
  tail = tail .. route .. " " .. math.floor(took + 0.5) .. "\n"
  in_tail = in_tail + 1
  if in_tail >= 200 then
    out = out .. tail
    tail = ""
    in_tail = 0
  end
  -- A run that ended between complete and reopen leaves the step completed: the next run's
  -- first complete of that item is refused (409) and its reopen heals it.
  local healing = status == 409 and string.find(body, "step-already-completed", 1, true)
  if status >= 400 and not healing then
    errors = errors + 1
    if sampled < 3 then
      sampled = sampled + 1
      local text = route .. " " .. status .. " " .. string.sub(body, 1, 120)
      samples = samples .. string.gsub(text, "\n", " ") .. "\n"
    end
  end
  if MODE == "bare" then
    return
  end
  if route == "upload" then
    sha = status == 201 and string.match(body, '"sha256"%s*:%s*"(%x+)"') or nil
    if sha == nil then
      step = 1 -- no file to cite: the journey starts again
      return
    end
  end
  step = step % #journey + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("DUR %d\n", summary.duration))
  io.write(string.format("SOCKERR %d\n", e.connect + e.read + e.write + e.timeout))
  for _, thread in ipairs(threads) do
    io.write(thread:get("out"), thread:get("tail"))
    io.write(string.format("ERR %d\n", thread:get("errors")))
    for line in string.gmatch(thread:get("samples"), "[^\n]+") do
      io.write("SAMPLE ", line, "\n")
    end
  end
end
