-- wrk: one request of the ssi worker's internal API, relayed as a tenant gateway relays it.
-- CUSTOS_SERVICE_TOKEN (never on the command line), CUSTOS_BODY (a file with the JSON body) and CUSTOS_CALLER
-- (a file with the caller, e.g. "identity did:...") come from the environment; the path is the URL's.
local function read(name)
    local path = os.getenv(name)
    assert(path, name .. " is not set")
    local file = assert(io.open(path))
    local text = file:read("*a")
    file:close()
    return text
end

wrk.method = "POST"
wrk.body = read("CUSTOS_BODY")
local token = os.getenv("CUSTOS_SERVICE_TOKEN")
assert(token, "CUSTOS_SERVICE_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["X-Custos-Caller"] = read("CUSTOS_CALLER")
wrk.headers["Content-Type"] = "application/json"
