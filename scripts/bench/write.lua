-- wrk: one tenant entry per POST /api/v1/ledger/messages, about 100 bytes of JSON data each.
-- The API key comes from CUSTOS_API_KEY, never from the command line.
local key = os.getenv("CUSTOS_API_KEY")
local n = 0
local padding = string.rep("x", 60)

request = function()
    n = n + 1
    local body = '{"tag":"bench","data":{"n":' .. n .. ',"note":"' .. padding .. '"}}'
    return wrk.format("POST", "/api/v1/ledger/messages",
        { ["Content-Type"] = "application/json", ["X-API-Key"] = key }, body)
end
