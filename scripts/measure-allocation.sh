#!/bin/bash
# Times the county allocation job through a real server and records its
# memory (README, "Allocation plan").
#
#   carebridge generate --data-dir /tmp/alloc100k --offers 100000 --needs 100000 --seed 7
#   scripts/measure-allocation.sh target/release/carebridge 18093 release
#
# Creates a county administrator `measure`, starts the server under
# /usr/bin/time -v, asks GET /api/v1/allocation every 0.5 s (with a few
# other pages as load) until it answers 200, then prints the time, the
# server's VmRSS/VmHWM and the job's own log line. Results in
# $OUT_ROOT/LABEL (default /tmp/allocm).
BIN=$1; PORT=$2; LABEL=$3
DIR=${DATA_DIR:-/tmp/alloc100k}
OUT=${OUT_ROOT:-/tmp/allocm}/$LABEL
mkdir -p $OUT
PW='Qz7!vR2#pLm9-Tx4$wN8'
printf '%s\n%s\n' "$PW" "$PW" | $BIN admin create --data-dir $DIR --username measure > $OUT/admin.log 2>&1
cd "$OUT"
/usr/bin/time -v $BIN serve --data-dir $DIR --addr 127.0.0.1:$PORT > $OUT/serve.log 2> $OUT/serve.err &
TPID=$!
for i in $(seq 1 600); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.5; done
SPID=$(pgrep -P $TPID)
echo "server pid $SPID" > $OUT/result.txt
grep VmRSS /proc/$SPID/status >> $OUT/result.txt
curl -s -c $OUT/cookies -H 'content-type: application/json' -d "{\"username\":\"measure\",\"password\":\"$PW\"}" http://127.0.0.1:$PORT/api/v1/session > $OUT/login.json
START=$(date +%s.%N)
while true; do
  CODE=$(curl -s -b $OUT/cookies -o $OUT/answer.json -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/allocation?limit=5")
  NOW=$(date +%s.%N)
  RSS=$(awk '/VmRSS/{print $2}' /proc/$SPID/status)
  echo "$(echo "$NOW - $START" | bc) $CODE rss_kb=$RSS $(head -c 160 $OUT/answer.json)" >> $OUT/poll.log
  # load on other pages while the job runs
  curl -s -b $OUT/cookies -o /dev/null "http://127.0.0.1:$PORT/api/v1/needs?limit=20"
  curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/search?q=%E8%BE%85%E5%AF%BC&type=offers"
  curl -s -b $OUT/cookies -o /dev/null "http://127.0.0.1:$PORT/allocation"
  [ "$CODE" = "200" ] && break
  sleep 0.5
done
END=$(date +%s.%N)
echo "ready after $(echo "$END - $START" | bc) s" >> $OUT/result.txt
grep -E "VmRSS|VmHWM" /proc/$SPID/status >> $OUT/result.txt
# served again from memory
curl -s -b $OUT/cookies -o /dev/null -w 'again %{http_code} %{time_total}s\n' "http://127.0.0.1:$PORT/api/v1/allocation?limit=20" >> $OUT/result.txt
curl -s -b $OUT/cookies -o /dev/null -w 'page %{http_code} %{time_total}s\n' "http://127.0.0.1:$PORT/allocation" >> $OUT/result.txt
grep -E "VmRSS|VmHWM" /proc/$SPID/status >> $OUT/result.txt
kill $SPID; wait $TPID 2>/dev/null
grep -E "allocation plan" $OUT/serve.log $OUT/serve.err | tail -2 >> $OUT/result.txt
grep -E "Maximum resident" $OUT/serve.err >> $OUT/result.txt
cat $OUT/result.txt
