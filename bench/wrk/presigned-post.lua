-- wrk script for bench/dpop.sh: POSTs pre-signed token requests, each exactly once. WRK_LINES names a file of
-- lines "<DPoP proof>\t<form body>" (dev.mayfly.bench.PresignedTokenRequests; either field may be empty); thread
-- k of WRK_THREADS sends lines k, k+n, k+2n, ... so no proof or assertion is sent twice. An empty body field
-- means WRK_BODY; WRK_AUTH, when set, is the Authorization header of every request. Without WRK_LINES every
-- request is WRK_BODY (the plain scenario, through the same script so the comparison is like for like).
-- response() counts every answer that is not 200; a thread that runs out of lines resends its last one (refused
-- by the broker as a replay, so counted) and counts it as "exhausted". At the end: one line, "WRK_RESULT {json}".
local threads = {}
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  n_threads = tonumber(os.getenv("WRK_THREADS") or "1")
  body = os.getenv("WRK_BODY") or ""
  auth = os.getenv("WRK_AUTH")
  lines = {}
  local file = os.getenv("WRK_LINES")
  if file ~= nil and file ~= "" then
    local i = 0
    for line in io.lines(file) do
      if i % n_threads == id then
        lines[#lines + 1] = line
      end
      i = i + 1
    end
  end
  next_line = 1
  non200 = 0
  exhausted = 0
  answered = 0
end

function request()
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if auth ~= nil and auth ~= "" then
    headers["Authorization"] = auth
  end
  local form = body
  if #lines > 0 then
    local line = lines[next_line]
    if line == nil then
      exhausted = exhausted + 1
      line = lines[#lines]
    else
      next_line = next_line + 1
    end
    local tab = line:find("\t", 1, true)
    local proof, given = line:sub(1, tab - 1), line:sub(tab + 1)
    if proof ~= "" then
      headers["DPoP"] = proof
    end
    if given ~= "" then
      form = given
    end
  end
  return wrk.format("POST", nil, headers, form)
end

function response(status, headers, response_body)
  answered = answered + 1
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local non200_total, exhausted_total, answered_total, lines_total = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    non200_total = non200_total + t:get("non200")
    exhausted_total = exhausted_total + t:get("exhausted")
    answered_total = answered_total + t:get("answered")
    lines_total = lines_total + t:get("next_line") - 1
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"errors":%d,"socket_errors":%d,"non200":%d,"answered":%d,"exhausted":%d,"lines_used":%d,'
      .. '"duration_us":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, e.connect + e.read + e.write + e.timeout + non200_total, e.connect + e.read + e.write + e.timeout,
    non200_total, answered_total, exhausted_total, lines_total, summary.duration,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
