"""A small load generator for the served archive: searches, report pages and API calls.

By hand, against a running site (`make serve` in another terminal):

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --clients 30 --seconds 10

or let it start its own gunicorn on a free loopback port, with the seeds loaded:

    .venv/bin/python bench/load.py --serve

It prints requests per second and latency percentiles; tests/server/test_load.py
runs the same thing in `make test`. Only the standard library is used, so the
figures measure the server, not a client framework. Each simulated client is a
thread with its own connection, issuing the next request as soon as the last
one is answered (a closed loop): throughput is what the server sustains at
that concurrency, and latency includes queueing behind the busy workers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

# Queries in both scripts and English, a phrase and operators: the real mix of a reading room.
QUERIES = ["医学会", "醫學會", "党建", "黨建", "医院协会", "party building", "hospital", "2021", '"党建工作"', "医院 OR 协会"]


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float


@dataclass
class LoadResult:
    clients: int
    seconds: float
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    fewest_by_one_client: int = 0  # 0 would mean a client never got an answer in time
    throughput: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.by_kind.items()))
        return (
            f"{self.requests} requests from {self.clients} clients in {self.seconds:.1f} s: "
            f"{self.throughput:.1f} req/s, p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"p99 {self.p99_ms:.0f} ms, max {self.max_ms:.0f} ms, {len(self.errors)} errors ({kinds})"
        )


def fetch(host: str, port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def request_mix(host: str, port: int) -> list[tuple[str, str]]:
    """(kind, path) pairs to draw from; report ids come from the API, so any data set works."""
    status, body = fetch(host, port, "/api/reports/")
    if status != 200:
        raise RuntimeError(f"/api/reports/ answered {status}; is the site up?")
    report_ids = [item["id"] for item in json.loads(body)["results"]]
    mix = [("api-list", "/api/reports/")]
    for report_id in report_ids:
        mix += [("report-page", f"/reports/{report_id}/"), ("api-detail", f"/api/reports/{report_id}/")]
    for query in QUERIES:
        mix += [("search-page", f"/search/?q={quote(query)}"), ("api-search", f"/api/search/?q={quote(query)}")]
    return mix


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def run_load(base_url: str, *, clients: int = 30, seconds: float = 10.0, seed: int = 1) -> LoadResult:
    """Drive the site from `clients` threads for `seconds`; every status >= 400 counts as an error."""
    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    mix = request_mix(host, port)
    samples: list[Sample] = []
    per_client: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_together = threading.Barrier(clients)
    deadline_box: list[float] = []

    def client(number: int) -> None:
        chooser = random.Random(seed * 1000 + number)
        mine: list[Sample] = []
        my_errors: list[str] = []
        start_together.wait()
        deadline = deadline_box[0]
        while time.monotonic() < deadline:
            kind, path = chooser.choice(mix)
            began = time.perf_counter()
            try:
                status, _ = fetch(host, port, path)
            except OSError as error:  # refused, reset, timed out: all count against the server
                status, detail = 0, f"{type(error).__name__}: {error}"
            else:
                detail = f"HTTP {status}"
            mine.append(Sample(kind, status, time.perf_counter() - began))
            if not 200 <= status < 400:
                my_errors.append(f"{path}: {detail}")
        with lock:
            samples.extend(mine)
            per_client.append(len(mine))
            errors.extend(my_errors)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    deadline_box.append(time.monotonic() + seconds + 0.5)  # +0.5: time for every thread to start
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)  # a request in flight at the deadline may take its full timeout
    elapsed = time.monotonic() - began

    latencies = sorted(sample.seconds * 1000 for sample in samples)
    result = LoadResult(clients=clients, seconds=elapsed, requests=len(samples), errors=errors)
    for sample in samples:
        result.by_kind[sample.kind] = result.by_kind.get(sample.kind, 0) + 1
    result.throughput = len(samples) / elapsed if elapsed else 0.0
    result.fewest_by_one_client = min(per_client) if len(per_client) == clients else 0
    result.p50_ms = statistics.median(latencies) if latencies else 0.0
    result.p95_ms = percentile(latencies, 0.95)
    result.p99_ms = percentile(latencies, 0.99)
    result.max_ms = latencies[-1] if latencies else 0.0
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the site to load (default %(default)s)")
    parser.add_argument("--serve", action="store_true", help="start a gunicorn of its own with the seeds")
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    if args.serve:
        import tempfile

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from harness.served import running_gunicorn

        with tempfile.TemporaryDirectory(prefix="archive-bench-") as data_dir, running_gunicorn(Path(data_dir)) as server:
            result = run_load(server.base_url, clients=args.clients, seconds=args.seconds)
    else:
        result = run_load(args.url, clients=args.clients, seconds=args.seconds)

    print(result.summary())
    for error in result.errors[:10]:
        print("  error:", error)
    if args.json:
        args.json.write_text(json.dumps(asdict(result), indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
