"""Runs the Celery peer once and prints one JSON line with its figures.

    python3 run_peer.py --source URL --jobs N --workdir DIR [--timeout S]

Starts a private redis-server on a Unix socket in DIR, creates the SQLite database, queues N
jobs (dealers B000001...) as Celery tasks before the worker starts, starts one worker with the
solo pool, waits until every job is completed and stops both again. `span_s` runs from the
first task's start to the last task's end (worker start-up excluded, in the peer's favour);
`wall_s` from the worker's launch to the last end.
"""

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"run_peer: timed out waiting for {what}")
        time.sleep(0.05)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--jobs", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--from-time", default="2025-06-01T00:00:00.000+00:00")
    parser.add_argument("--to-time", default="2025-06-01T23:59:59.000+00:00")
    args = parser.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    sock = os.path.join(args.workdir, "redis.sock")
    db = os.path.join(args.workdir, "peer.db")
    for path in (sock, db, db + "-wal", db + "-shm"):
        if os.path.exists(path):
            os.remove(path)

    redis = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700",
         "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
         "--dir", args.workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        wait_for(lambda: os.path.exists(sock), 10, "redis-server")
        env = dict(os.environ)
        env.update({
            "PEER_BROKER": "redis+socket://" + sock,
            "PEER_DB": db,
            "PEER_SOURCE": args.source,
            "C_FORCE_ROOT": "1",
            "PYTHONPATH": HERE,
        })
        os.environ.update(env)
        sys.path.insert(0, HERE)
        import tasks  # noqa: E402 (configured from the environment above)

        tasks.metadata.create_all(tasks.engine)
        with tasks.engine.begin() as conn:
            conn.execute(tasks.jobs.insert(), [
                {"id": i + 1, "dealer_id": f"B{i + 1:06d}", "fetch_type": "prospect",
                 "from_time": args.from_time, "to_time": args.to_time, "status": "queued",
                 "attempts": 0}
                for i in range(args.jobs)
            ])
        for i in range(args.jobs):
            tasks.fetch_job.apply_async(
                args=[i + 1, f"B{i + 1:06d}", "prospect", args.from_time, args.to_time])

        launched = time.time()
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tasks", "worker", "--pool=solo",
             "--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=HERE, env=env, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(args.workdir, "worker.log"), "w"))

        reader = sqlite3.connect(db, timeout=30)

        def done():
            if worker.poll() is not None:
                raise SystemExit(f"run_peer: the worker exited ({worker.returncode}); see "
                                 f"{args.workdir}/worker.log")
            (count,) = reader.execute(
                "SELECT COUNT(*) FROM jobs WHERE status = 'completed'").fetchone()
            return count == args.jobs

        deadline = time.monotonic() + args.timeout
        while not done():
            if time.monotonic() > deadline:
                raise SystemExit("run_peer: timed out waiting for the worker")
            time.sleep(0.2)
        first, last = reader.execute("SELECT MIN(started), MAX(finished) FROM jobs").fetchone()
        (stored,) = reader.execute("SELECT COUNT(*) FROM records").fetchone()
        reader.close()
        span = (last - first) / 1000.0
        print(json.dumps({
            "jobs": args.jobs,
            "records": stored,
            "span_s": span,
            "wall_s": last / 1000.0 - launched,
            "jobs_per_s": args.jobs / span if span > 0 else None,
            "records_per_s": stored / span if span > 0 else None,
        }))
    finally:
        if worker is not None:
            stop(worker)
        stop(redis)


if __name__ == "__main__":
    main()
