# scripts/demo --live: the sensors' part, sourced by scripts/demo, which has
# made the traffic, the PKI, the upstream namespace ($upstream) with the
# collector in it, and defines out, run, tag, tools, sensors, traffic, pps,
# sensor_bin, ctl, spawn, finish, wait_for and sensor_yaml.
#
# Each sensor is a teiten-sensor daemon in its own network namespace. It
# captures on one end of a veth pair ("cap") whose other end is in the
# upstream namespace, where tcpreplay sends the sensor's captures at a fixed
# rate (--pps), and ships to the collector over a second veth pair
# ("ship", 10.200.N.0/24). The capture link carries nothing but the replayed
# frames: no addresses, IPv6 off in every namespace (no router solicitations
# or neighbour discovery), shipping on its own link.
#
# A live capture stamps frames with their arrival time; the sensors run with
# teiten-capture-clock.so preloaded (tests/demo/capture_clock.cpp), which
# gives each frame the time it has in the capture and sets the daemon's
# clock to it, so the days are the capture's days. A sensor absent on some
# days (a power cut in the profile) is stopped for them and started again.

clock_lib=$build/tests/demo/teiten-capture-clock.so

status_value() {  # status_value SOCKET KEY.KEY: one value of `teitenctl --json status`
  "$ctl" -s "$1" --json status 2>/dev/null | python3 -c '
import json, sys
v = json.load(sys.stdin)["arguments"]
for k in sys.argv[1].split("."):
    v = v[k]
print(v)' "$2"
}
received_at_least() { [ "$(status_value "$1" capture.packets_received)" -ge "$2" ]; }
halfway() {  # halfway ID FRAMES: the sensor has received FRAMES, or its replay is over
  received_at_least "$out/sensors/$1.sock" "$2" || ! kill -0 "$(cat "$run/live-$1.pid")"
}
shipped() { [ "$(status_value "$1" shipping.queue_batches)" -eq 0 ]; }

make_links() {  # make_links: the namespaces and veth pairs (removed by cleanup)
  local i=0 s ns
  ip netns exec "$upstream" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
    net.ipv6.conf.default.disable_ipv6=1
  for s in "${sensors[@]}"; do
    i=$((i + 1))
    ns=$tag-$i
    ip netns add "$ns"; touch "$run/$ns.netns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
      net.ipv6.conf.default.disable_ipv6=1
    # Interface names are per namespace: made inside ours, they cannot collide.
    ip link add "cap$i" netns "$upstream" type veth peer name cap netns "$ns"
    ip link add "ship$i" netns "$upstream" type veth peer name ship netns "$ns"
    ip -n "$upstream" addr add "10.200.$i.1/24" dev "ship$i"
    ip -n "$ns" addr add "10.200.$i.2/24" dev ship
    ip -n "$upstream" link set "cap$i" up
    ip -n "$upstream" link set "ship$i" up
    for dev in lo cap ship; do ip -n "$ns" link set "$dev" up; done
  done
}

live_sensor() {  # live_sensor ID N: one daemon run per segment of its captures
  local s=$1 i=$2 id n file packets first last
  local sock=$out/sensors/$s.sock
  while read -r id n file packets first last; do
    [ "$id" = "$s" ] || continue
    [ "$n" -eq 1 ] || echo "   $s: absent in the profile until $first (a power cut): its daemon" \
      "stopped, starts again"
    spawn "sensor-$s" ip netns exec "$tag-$i" env LD_PRELOAD="$clock_lib" \
      TEITEN_CAPTURE_CLOCK="$file" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
      "$sensor_bin" -c "$out/sensors/$s.yaml" >>"$out/sensors/$s.log" 2>&1
    wait_for 30 "sensor $s's control socket" "$ctl" -s "$sock" status
    spawn "tcpreplay-$s" ip netns exec "$upstream" tcpreplay --timer=nano --pps "$pps" \
      -i "cap$i" "$file" >"$out/live/$s.$n.tcpreplay.log" 2>&1
    finish "tcpreplay-$s" || { echo "tcpreplay for $s failed: $out/live/$s.$n.tcpreplay.log" >&2; return 1; }
    # Frames still in the kernel ring reach the sensor within capture.timeout.
    wait_for 30 "$s to receive $packets frames" received_at_least "$sock" "$packets" \
      || echo "   $s: received fewer frames than sent (see the drops below)" >&2
    "$ctl" -s "$sock" flush >/dev/null
    wait_for 60 "$s to ship everything" shipped "$sock"
    "$ctl" -s "$sock" --json status >"$out/live/$s.$n.status.json"
    kill -TERM "$(cat "$run/sensor-$s.pid")"
    finish "sensor-$s" || { echo "sensor $s failed: $out/sensors/$s.log" >&2; return 1; }
  done <"$out/live/segments.txt"
}

live_run() {
  echo "== --live: ${#sensors[@]} sensor daemons, each in its own network namespace, capture" \
       "what tcpreplay sends at $pps frames/s each"
  mkdir -p "$out/live"
  python3 "$tools/live_segments.py" "$traffic" "$out/live" >"$out/live/segments.txt"
  make_links
  local i=0 s
  for s in "${sensors[@]}"; do
    i=$((i + 1))
    sensor_yaml "$s" ", interface: cap, promiscuous: true" "10.200.$i.1:$port" \
      "control: {socket: $s.sock}
log: {level: info}" >"$out/sensors/$s.yaml"
  done
  i=0
  for s in "${sensors[@]}"; do
    i=$((i + 1))
    spawn "live-$s" live_sensor "$s" "$i"
  done

  # Once, midway: what the first sensor's control socket says while it captures.
  local first=${sensors[0]} total
  total=$(awk -v s="$first" '$1 == s { n += $4 } END { print n }' "$out/live/segments.txt")
  if wait_for 600 "$first to be halfway" halfway "$first" $((total / 2)); then
    echo
    echo "-- midway: teitenctl -s $out/sensors/$first.sock status"
    "$ctl" -s "$out/sensors/$first.sock" status | sed 's/^/   /' || true
    echo "-- midway: teitenctl --collector -s $out/collector.sock sensors"
    "$ctl" --collector -s "$out/collector.sock" sensors | sed 's/^/   /' || true
    echo
  fi
  local failed=0
  for s in "${sensors[@]}"; do finish "live-$s" || failed=1; done
  [ $failed -eq 0 ] || exit 1
  python3 "$tools/demo_check.py" live-summary "$out/live" "$out/sensors" | sed 's/^/   /'
}
