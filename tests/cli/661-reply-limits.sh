# Replies that would exhaust memory: a gzip bomb, an endless chunked body, endless headers (long-
# polling) and a WebSocket frame announcing 1 GB. Each ends the run with 76 and a message naming
# the limit, and the peak RSS (VmHWM, by getrusage of the child) stays under 150 MB.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# peak_run OUT ERR CMD...: runs CMD, writes "RSS_KB EXIT" to OUT (stderr of CMD to ERR).
peak_run() {
  local out=$1 err=$2
  shift 2
  python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[1], "w"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)' "$err" "$@" >"$out"
}

# The bound is for the product's build; AddressSanitizer's shadow memory and quarantine (freed
# blocks are held back, 256 MB by default) add to the peak, so an ASan build gets more room.
limit_mb=150
grep -q -a -m1 __asan_init "$CLI" && limit_mb=400

check() {  # NAME EXPECTED-MESSAGE-PATTERN
  local name=$1 pattern=$2 rss rc
  read -r rss rc <"$D/$name.rusage"
  expect_rc 76 "$rc" "$name"
  grep -q -- "$pattern" "$D/$name.err" || fail "$name: no '$pattern' in: $(head -c 400 "$D/$name.err")"
  [ "$rss" -lt $((limit_mb * 1024)) ] || fail "$name: peak RSS $((rss / 1024)) MB (limit $limit_mb MB)"
  say "$name: exit $rc, peak RSS $((rss / 1024)) MB, $(grep -o -- "$pattern" "$D/$name.err" | head -1)"
}

for mode in gzip-bomb chunked-endless headers-endless; do
  start_node "$mode" hostile-server.js --mode "$mode"
  port_var="PORT_${mode//-/_}"
  t0=$(date +%s%N)
  peak_run "$D/$mode.rusage" "$D/$mode.err" timeout 30 "$CLI" --timeout 5s \
    --connection-type long-polling publish "http://127.0.0.1:${!port_var}/cometd" /a 1
  ms=$(elapsed_ms "$t0")
  case $mode in
    gzip-bomb) check "$mode" "is not Bayeux" ;;  # never inflated: we never ask for gzip
    chunked-endless) check "$mode" "over the 64 MiB limit (--max-message-size)" ;;
    headers-endless) check "$mode" "headers over 64 KiB" ;;
  esac
  [ "$ms" -lt 20000 ] || fail "$mode: took $ms ms"
done

# A smaller --max-message-size is the limit named.
peak_run "$D/small.rusage" "$D/small.err" timeout 30 "$CLI" --timeout 5s --max-message-size 1M \
  --connection-type long-polling publish "http://127.0.0.1:$PORT_chunked_endless/cometd" /a 1
check small "over the 1 MiB limit (--max-message-size)"

start_node ws hostile-server.js --mode ws-big-frame
peak_run "$D/ws.rusage" "$D/ws.err" timeout 30 "$CLI" --timeout 5s \
  --connection-type websocket publish "http://127.0.0.1:$PORT_ws/cometd" /a 1
check ws "over the 64 MiB limit (--max-message-size)"

"$CLI" --max-message-size 12Q publish http://127.0.0.1:1/cometd /a 1 2>"$D/bad.err"
expect_rc 64 $? "--max-message-size 12Q"
grep -q -- "--max-message-size expects a size" "$D/bad.err" || fail "bad size: $(cat "$D/bad.err")"
