-- wrk: reads of confirmed entries, alternating GET .../messages/{id} and GET .../messages/{id}/receipt, over the
-- ids listed one per line in the file named by CUSTOS_BENCH_IDS.
local key = os.getenv("CUSTOS_API_KEY")
local ids = {}
for line in io.lines(os.getenv("CUSTOS_BENCH_IDS")) do ids[#ids + 1] = line end
local n = 0

request = function()
    n = n + 1
    local id = ids[(n % #ids) + 1]
    local path = "/api/v1/ledger/messages/" .. id
    if n % 2 == 0 then path = path .. "/receipt" end
    return wrk.format("GET", path, { ["X-API-Key"] = key })
end
