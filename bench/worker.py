"""Worker throughput: jobs per second with 1 and 2 worker processes.

    python bench/worker.py [--jobs N] [--database-url postgresql://…] [--data-dir DIR]

Uses a database of its own: SQLite in a fresh data directory (bench/out/worker by default),
or the PostgreSQL database named by --database-url, which should be an empty database of
its own (its jobs table is emptied between runs). For each worker count it queues N jobs
whose handler does nothing, starts that many `confab worker --once`-style processes, lets
them loose together and times until all have exited. The machine's cores are shared with
the database server (PostgreSQL) and between the workers, so the workers' CPU time per job
is printed beside the rate.

The baseline, measured in the same run, is the same number of one-row UPDATEs, each its own
transaction, from one process: a job costs a few such writes (claim, done), so about a third
of the baseline is as fast as one worker can go.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
KIND = "bench.noop"


def setup_django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")
    import django

    django.setup()
    from confab.worker.registry import handler

    @handler(KIND)
    def noop(job):
        """Do nothing: the benchmark measures the worker, not the work."""


def worker_process(ready: str, go: str) -> None:
    """Drain the due jobs once GO exists (run in a child process)."""
    setup_django()
    from django.db import connection

    from confab.worker.runner import Worker

    connection.ensure_connection()
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.001)
    Worker().drain()


def queue_jobs(count: int) -> None:
    from django.db import transaction

    from confab.worker.actions import enqueue
    from confab.worker.models import Job

    Job.objects.all().delete()
    with transaction.atomic():
        for number in range(count):
            enqueue(KIND, {"number": number})


def run_workers(count: int, env: dict[str, str], tmp: Path) -> tuple[float, float]:
    """Start `count` worker processes, release them together; return wall and CPU seconds."""
    cpu_before = _children_cpu()
    go = tmp / "go"
    go.unlink(missing_ok=True)
    processes, readies = [], []
    for number in range(count):
        ready = tmp / f"ready{number}"
        ready.unlink(missing_ok=True)
        readies.append(ready)
        processes.append(
            subprocess.Popen(
                [sys.executable, __file__, "--worker-process", str(ready), str(go)],
                cwd=REPO,
                env=env,
            )
        )
    while not all(ready.exists() for ready in readies):
        time.sleep(0.01)
    started = time.perf_counter()
    go.touch()
    for process in processes:
        if process.wait() != 0:
            raise SystemExit(f"a worker process failed ({process.returncode})")
    # Includes the workers' start-up (Django setup), a fixed cost of a few tenths of a second.
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline(count: int) -> float:
    """Return the seconds `count` one-row UPDATEs in autocommit take."""
    from django.db.models import F

    from confab.worker.models import Job

    job_id = Job.objects.values_list("id", flat=True).first()
    started = time.perf_counter()
    for _ in range(count):
        Job.objects.filter(id=job_id).update(attempts=F("attempts") + 1)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--database-url", help="An empty PostgreSQL database of its own.")
    parser.add_argument("--data-dir", type=Path, default=OUT / "worker")
    args = parser.parse_args()

    if not args.database_url:
        # SQLite: start from an empty file every run.
        shutil.rmtree(args.data_dir, ignore_errors=True)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "CONFAB_DATABASE_URL"}
    env.update(CONFAB_DATA_DIR=str(args.data_dir), CONFAB_LOG_LEVEL="WARNING")
    if args.database_url:
        env["CONFAB_DATABASE_URL"] = args.database_url
    os.environ.update(env)
    if not args.database_url:
        os.environ.pop("CONFAB_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "confab", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    setup_django()
    from django.db import connection

    engine = connection.vendor
    print(f"Worker throughput on {engine}, {args.jobs} jobs with a handler that does nothing")
    queue_jobs(1)
    floor = args.jobs / baseline(args.jobs)
    print(f"  baseline: {floor:8.0f} one-row UPDATE transactions/s (one process)")
    for workers in (1, 2):
        queue_jobs(args.jobs)
        connection.close()  # the workers should not wait on this process's connection
        seconds, cpu = run_workers(workers, env, args.data_dir)
        from confab.worker.models import Job, JobState

        done = Job.objects.filter(state=JobState.DONE).count()
        if done != args.jobs:
            raise SystemExit(f"only {done} of {args.jobs} jobs are done")
        rate = args.jobs / seconds
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}: {rate:8.0f} jobs/s"
            f"  ({rate / floor:.2f} x baseline, {seconds:.2f} s,"
            f" worker CPU {cpu / args.jobs * 1000:.2f} ms/job)"
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker-process":
        worker_process(sys.argv[2], sys.argv[3])
    else:
        main()
