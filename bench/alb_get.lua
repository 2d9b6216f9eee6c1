-- wrk script for bench/run_alb.sh: the same small GET (GET / on the URL given to wrk, with wrk's
-- default headers: Host only) against the target, the awsemu ALB listener and nginx as a
-- reverse proxy. It prints the BENCH line of wrk_report.lua.
wrk.method = "GET"
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_report.lua")
