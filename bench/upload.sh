#!/usr/bin/env bash
# Upload benchmark (see docs/BENCHMARKS.md, "Upload").
#
# Starts nginx (dav_methods PUT, TLS with a CA made here) on 127.0.0.1 and
# uploads the same SIZE_MIB MiB random file RUNS times each with
#   - diagcollect upload (default: HEAD probe, first 8 MiB chunk, nginx refuses
#     Content-Range, falls back to one whole streamed PUT, HEAD size check),
#   - diagcollect upload --chunk-bytes 0 (one whole PUT from the start),
#   - curl --upload-file,
# and, against lighttpd mod_webdav, diagcollect's resumable chunked mode,
# with /usr/bin/time -v for wall time and peak RSS. Everything lives under WORK.
#
#   bench/upload.sh                     # 1 GiB, 3 runs
#   SIZE_MIB=256 RUNS=1 bench/upload.sh # quicker
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build/upload-rel}
WORK=${WORK:-/tmp/dc-bench-upload}
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}

for tool in /usr/bin/time curl openssl nginx lighttpd cmake ninja; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] ||
        { echo "upload.sh: $tool is required (Debian: nginx-light lighttpd lighttpd-mod-webdav curl openssl time)" >&2; exit 2; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)

if [[ -z ${SKIP_BUILD:-} ]]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$BUILD_DIR" -j2 --target diagcollect >/dev/null
fi
DIAGCOLLECT=${DIAGCOLLECT:-$BUILD_DIR/bin/diagcollect}

rm -rf "$WORK/www" "$WORK/srv"
mkdir -p "$WORK/pki" "$WORK/www/up" "$WORK/srv/tmp"
PKI=$WORK/pki
if [[ ! -f $PKI/server.pem ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" \
        -days 30 -subj "/CN=bench CA" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/server.key" -out "$PKI/server.csr" \
        -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$PKI/ext.cnf"
    openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
        -out "$PKI/server.pem" -days 30 -extfile "$PKI/ext.cnf" 2>/dev/null
    cat "$PKI/server.pem" "$PKI/server.key" >"$PKI/bundle.pem"
fi

FILE=$WORK/diagcollect-bench-${SIZE_MIB}m.tar.zst
if [[ ! -f $FILE ]]; then
    echo "Generating $SIZE_MIB MiB of random data in $FILE ..." >&2
    head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$FILE"
fi
BYTES=$(stat -c %s "$FILE")
cat "$FILE" >/dev/null # page cache, so every client reads from memory alike

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NGINX_PORT=$(free_port)
LIGHTTPD_PORT=$(free_port)
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root;"
cat >"$WORK/srv/nginx.conf" <<EOF
daemon off; master_process off; $user_line
pid $WORK/srv/nginx.pid; error_log $WORK/srv/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/srv/tmp/body; proxy_temp_path $WORK/srv/tmp/proxy;
  fastcgi_temp_path $WORK/srv/tmp/fcgi; uwsgi_temp_path $WORK/srv/tmp/uwsgi; scgi_temp_path $WORK/srv/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $PKI/server.pem; ssl_certificate_key $PKI/server.key;
    root $WORK/www; client_max_body_size 0; dav_methods PUT;
  }
}
EOF
cat >"$WORK/srv/lighttpd.conf" <<EOF
server.document-root = "$WORK/www"
server.port = $LIGHTTPD_PORT
server.bind = "127.0.0.1"
server.modules = ("mod_webdav", "mod_openssl")
server.errorlog = "$WORK/srv/lighttpd-error.log"
server.upload-dirs = ("$WORK/srv/tmp")
ssl.engine = "enable"
ssl.pemfile = "$PKI/bundle.pem"
webdav.activate = "enable"
webdav.opts = ("deprecated-unsafe-partial-put" => "enable")
EOF
"$NGINX" -p "$WORK/srv" -e "$WORK/srv/nginx-error.log" -c "$WORK/srv/nginx.conf" &
NGINX_PID=$!
"$LIGHTTPD" -D -f "$WORK/srv/lighttpd.conf" &
LIGHTTPD_PID=$!
trap 'kill $NGINX_PID $LIGHTTPD_PID 2>/dev/null; wait $NGINX_PID $LIGHTTPD_PID 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
for port in "$NGINX_PORT" "$LIGHTTPD_PORT"; do
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done

wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
cpu_seconds() { awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { print s }' "$1"; }
peak_kib() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

RESULTS=$WORK/results.md
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
printf '| client | server | run | wall s | MiB/s | CPU s | peak RSS MiB | check |\n|---|---|---:|---:|---:|---:|---:|---|\n' >"$RESULTS"
run() { # name server target-file command...
    local name=$1 server=$2 target=$3
    shift 3
    for run in $(seq "$RUNS"); do
        rm -f "$target"
        /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" ||
            { echo "$name failed:" >&2; cat "$WORK/err.txt" >&2; exit 1; }
        local got wall check
        got=$(stat -c %s "$target" 2>/dev/null || echo 0)
        check=$([[ $got -eq $BYTES ]] && cmp -s "$FILE" "$target" && echo identical || echo "DIFFERS ($got bytes)")
        wall=$(wall_seconds "$WORK/time.txt")
        printf '| %s | %s | %d | %.2f | %.0f | %.2f | %.0f | %s |\n' "$name" "$server" "$run" "$wall" \
            "$(awk -v b="$BYTES" -v w="$wall" 'BEGIN { print b / 1048576 / w }')" "$(cpu_seconds "$WORK/time.txt")" \
            "$(awk -v k="$(peak_kib "$WORK/time.txt")" 'BEGIN { print k / 1024 }')" "$check" | tee -a "$RESULTS"
    done
}

NGINX_URL=https://127.0.0.1:$NGINX_PORT/up
LIGHTTPD_URL=https://127.0.0.1:$LIGHTTPD_PORT/up
NAME=$(basename "$FILE")
run "curl --upload-file" nginx "$WORK/www/up/curl.bin" \
    curl -sS --fail --cacert "$PKI/ca.pem" --upload-file "$FILE" "$NGINX_URL/curl.bin"
run "diagcollect upload (probe, fallback)" nginx "$WORK/www/up/$NAME" \
    "$DIAGCOLLECT" upload "$FILE" --url "$NGINX_URL" --ca-cert "$PKI/ca.pem" --quiet --json
run "diagcollect upload --chunk-bytes 0" nginx "$WORK/www/up/$NAME" \
    "$DIAGCOLLECT" upload "$FILE" --url "$NGINX_URL" --ca-cert "$PKI/ca.pem" --chunk-bytes 0 --quiet --json
run "curl --upload-file" lighttpd "$WORK/www/up/curl.bin" \
    curl -sS --fail --http1.1 --cacert "$PKI/ca.pem" --upload-file "$FILE" "$LIGHTTPD_URL/curl.bin"
run "diagcollect upload (8 MiB chunks)" lighttpd "$WORK/www/up/$NAME" \
    "$DIAGCOLLECT" upload "$FILE" --url "$LIGHTTPD_URL" --ca-cert "$PKI/ca.pem" --quiet --json

echo >&2
echo "$(nproc) cores, load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg); $BYTES bytes; results in $RESULTS" >&2
