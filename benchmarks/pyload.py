"""A small closed-loop load generator for when wrk is not installed.

Threads, each with one ``http.client`` connection, POST the same request until a deadline and
then stop after their response, so nothing is left in flight and every stored story was
counted. It shares the GIL and the CPU with the server, so it reads lower than wrk does.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def run(
    host: str, port: int, path: str, headers: dict, body: bytes, seconds: float, connections: int
) -> dict:
    """Drive ``connections`` loops for ``seconds``; same result shape as submit.lua's line."""
    statuses: Counter = Counter()
    errors: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def loop():
        mine, my_statuses, my_errors = [], Counter(), Counter()
        conn = http.client.HTTPConnection(host, port, timeout=10)
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as err:
                my_errors[type(err).__name__] += 1
                conn.close()
                continue
            mine.append(time.perf_counter() - began)
            my_statuses[response.status] += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(my_statuses)
            errors.update(my_errors)

    workers = [threading.Thread(target=loop) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    duration = time.perf_counter() - start
    latencies.sort()
    us = 1e6
    return {
        "requests": len(latencies),
        "duration_us": int(duration * us),
        "clean_stop": True,
        "statuses": {str(k): v for k, v in statuses.items()},
        "socket_errors": dict(errors),
        "latency_us": {
            "mean": sum(latencies) / len(latencies) * us if latencies else 0.0,
            "p50": int(percentile(latencies, 50) * us),
            "p90": int(percentile(latencies, 90) * us),
            "p99": int(percentile(latencies, 99) * us),
            "max": int((latencies[-1] if latencies else 0) * us),
        },
    }
