-- wrk script for benchmarks/run.py: POSTs the story form over and over.
--
-- Arguments (after `--`): seconds, cookie header, url-encoded form body.
-- Each thread drives one connection and stops itself at the deadline right after a response,
-- so no submission is left in flight when the run ends: the 302s counted here must equal the
-- stories the server stored (run.py checks that). wrk's own -d must be a little longer (its
-- stop drops requests in flight), so the run's length is measured here, from the threads'
-- first request to their last answer, and not taken from wrk's summary.
-- done() prints one line starting with "BENCH " and holding JSON.

local ok_ffi, ffi = pcall(require, "ffi")
local now
if ok_ffi then
  ffi.cdef([[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clk_id, bench_timespec *tp);
  ]])
  local ts = ffi.new("bench_timespec")
  now = function()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
  end
else
  now = os.time
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  seconds = tonumber(args[1])
  started = now()
  deadline = started + seconds
  counts = {}
  wrk.method = "POST"
  wrk.headers["Cookie"] = args[2]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = args[3]
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  local t = now()
  if t >= deadline then
    finished = t
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local statuses = {}
  local first, last, clean = nil, nil, true
  for _, thread in ipairs(threads) do
    local s, f = thread:get("started"), thread:get("finished")
    if s and (not first or s < first) then first = s end
    if not f then clean = false elseif not last or f > last then last = f end
    for status, n in pairs(thread:get("counts")) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "clean_stop": %s, "statuses": {%s}, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests,
    math.floor((clean and first and last) and (last - first) * 1e6 or summary.duration),
    tostring(clean),
    table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max
  ))
end
