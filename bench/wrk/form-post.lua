-- wrk script for the bench/ scripts: POSTs one form body (WRK_BODY) with an optional Authorization header
-- (WRK_AUTH) on every request, and at the end prints one line, "WRK_RESULT {json}", that the scripts parse:
-- requests, errors (socket errors and non-2xx/3xx answers), and latency percentiles in microseconds.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local auth = os.getenv("WRK_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"errors":%d,"non2xx":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status, e.status, summary.duration,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
