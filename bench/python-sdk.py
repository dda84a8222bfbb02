"""The Python SDK's overhead, each compared with its peer in the same run.

    npm run build && sdk-python/.venv/bin/python bench/python-sdk.py [rounds] [calls|startup]

1. Governed ``requests.get`` with a cached ALLOW vs raw ``requests.get``, to the same loopback
   server (its own process). Goal: ≤ 1.05× per call.
2. Interpreter start-up (``python -c pass``) in a virtualenv with the ``.pth`` activation
   (``GOVERNOR_ENFORCE_URL`` set, so ``enable()`` runs) vs the same virtualenv without it.
   Goal: ≤ +30 ms.
3. Governed ``open(path, "w")`` + write + close with a cached ALLOW vs raw.

Rounds alternate raw and governed blocks so machine noise hits both sides alike; each figure is
the median over rounds. The audit hook cannot be removed once added, so after the first
``enable()`` the raw side runs with the (inert) hook in place too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

import governor
from governor import testing

REPO = Path(__file__).resolve().parents[1]
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
ONLY = sys.argv[2] if len(sys.argv) > 2 else None

SERVER = """
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200); self.send_header("content-length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""


def per_call_us(fn, calls: int) -> tuple:
    """Wall and CPU (this process) microseconds per call."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e6, (time.process_time() - cpu) / calls * 1e6


def compare(label: str, fn, calls: int, enable) -> None:
    raws, governed, ratios, cpu_ratios = [], [], [], []
    for _ in range(ROUNDS):
        governor.disable()
        raw, raw_cpu = per_call_us(fn, calls)
        enable()
        fn()  # the first call asks; the rest use the cached ALLOW
        gov, gov_cpu = per_call_us(fn, calls)
        raws.append(raw)
        governed.append(gov)
        ratios.append(gov / raw)
        cpu_ratios.append(gov_cpu / raw_cpu if raw_cpu else float("nan"))
    governor.disable()
    print(
        f"{label}: raw {statistics.median(raws):.1f} µs/call, governed {statistics.median(governed):.1f} µs/call, "
        f"median ratio {statistics.median(ratios):.3f}× wall, {statistics.median(cpu_ratios):.3f}× CPU ({ROUNDS} rounds × {calls} calls)"
    )


def http_and_open(mock: testing.MockServer) -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}/x"
        enable = lambda: governor.enable(enforce_url=mock.url, api_key="bench", cache_ttl_ms=600_000)  # noqa: E731
        compare("requests.get, cached ALLOW vs raw", lambda: requests.get(url), 200, enable)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "bench.txt")

            def write() -> None:
                with open(path, "w") as handle:
                    handle.write("x")

            compare('open(path, "w") + write, cached ALLOW vs raw', write, 2000, enable)
    finally:
        server.terminate()
        server.wait()


def startup() -> None:
    root = Path(tempfile.mkdtemp(prefix="governor-bench-"))
    pythons = {}
    for name in ("without", "with"):
        venv = root / name
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip()
        (Path(purelib) / "governor-src.pth").write_text(str(REPO / "sdk-python" / "src") + "\n")
        if name == "with":
            subprocess.run([python, "-m", "governor.install"], check=True, capture_output=True)
        pythons[name] = python
    # Byte-compiled once, as pip does when it installs the wheel (PYTHONDONTWRITEBYTECODE may be set).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "sdk-python" / "src" / "governor")], check=True)
    env = {**os.environ, "GOVERNOR_ENFORCE_URL": "http://127.0.0.1:9", "GOVERNOR_API_KEY": "bench"}
    check = "import sys; sys.exit(0 if ('governor' in sys.modules) == (sys.argv[1] == 'with') else 3)"
    times = {"without": [], "with": []}
    cpu = {"without": [], "with": []}
    for _ in range(max(ROUNDS * 3, 40)):
        for name in ("without", "with"):
            before = os.times()
            start = time.perf_counter()
            subprocess.run([pythons[name], "-c", check, name], env=env, check=True)
            times[name].append((time.perf_counter() - start) * 1000)
            after = os.times()
            # CPU the child used (user + system): less inflated than wall time on a busy machine.
            cpu[name].append((after.children_user + after.children_system - before.children_user - before.children_system) * 1000)
    without, with_ = statistics.median(times["without"]), statistics.median(times["with"])
    cpu_without, cpu_with = statistics.median(cpu["without"]), statistics.median(cpu["with"])
    print(
        f"interpreter start-up: without {without:.1f} ms, with the .pth activation {with_:.1f} ms: +{with_ - without:.1f} ms wall "
        f"(CPU {cpu_without:.1f} → {cpu_with:.1f} ms: +{cpu_with - cpu_without:.1f} ms; median of {len(times['with'])} runs each)"
    )


def main() -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    if ONLY in (None, "calls"):
        with testing.start_mock("allow-all", command=testing._governor_init_in(str(REPO))) as mock:
            http_and_open(mock)
    if ONLY in (None, "startup"):
        startup()


if __name__ == "__main__":
    main()
