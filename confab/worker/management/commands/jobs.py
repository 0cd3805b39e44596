from django.core.management.base import BaseCommand, CommandError

from confab.worker import actions
from confab.worker.models import Job, JobState

LIMIT = 50


class Command(BaseCommand):
    help = (
        "List queued, running and failed jobs (--failed: only failed ones, with their "
        "errors), or `jobs retry ID …` to queue failed jobs again."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
        parser.add_argument("ids", nargs="*", type=int, help="Job ids (for retry).")
        parser.add_argument("--failed", action="store_true", help="Only failed jobs.")
        parser.add_argument("--limit", type=int, default=LIMIT, help="Rows per state.")

    def handle(self, *args, action, ids, failed, limit, **options):
        if action == "retry":
            if not ids:
                raise CommandError("Name the failed jobs to retry: confab jobs retry ID …")
            self._retry(ids)
        else:
            states = [JobState.FAILED] if failed else list(_LISTED)
            self._list(states, limit, with_errors=failed)

    def _retry(self, ids: list[int]) -> None:
        wanted = set(ids)
        failed = set(
            Job.objects.filter(id__in=wanted, state=JobState.FAILED).values_list("id", flat=True)
        )
        queued = actions.retry(failed)
        self.stdout.write(self.style.SUCCESS(f"Queued {queued} failed job(s) again."))
        if wanted - failed:
            others = ", ".join(map(str, sorted(wanted - failed)))
            raise CommandError(f"Not failed (or no such job), left alone: {others}")

    def _list(self, states: list[str], limit: int, *, with_errors: bool) -> None:
        for state in states:
            jobs = Job.objects.filter(state=state)
            total = jobs.count()
            self.stdout.write(self.style.MIGRATE_HEADING(f"{_LISTED[state]} ({total})"))
            order = "-finished_at" if state == JobState.FAILED else "due_at"
            for job in jobs.order_by(order)[:limit]:
                self.stdout.write(_line(job))
                if job.last_error and (with_errors or state == JobState.FAILED):
                    error = job.last_error if with_errors else job.last_error.splitlines()[0]
                    for line in error.splitlines():
                        self.stdout.write(f"    {line}")
            if total > limit:
                self.stdout.write(f"  … and {total - limit} more")


_LISTED: dict[str, str] = {
    JobState.QUEUED: "Queued",
    JobState.RUNNING: "Running",
    JobState.FAILED: "Failed",
}


def _line(job: Job) -> str:
    if job.state == JobState.RUNNING:
        when = f"by {job.locked_by}, lease until {job.lease_until:%Y-%m-%d %H:%M:%S}"
    elif job.state == JobState.FAILED and job.finished_at:
        when = f"failed {job.finished_at:%Y-%m-%d %H:%M:%S}"
    else:
        when = f"due {job.due_at:%Y-%m-%d %H:%M:%S}"
    key = f" key={job.key}" if job.key else ""
    return f"  {job.pk}  {job.kind}{key}  attempts {job.attempts}/{job.max_attempts}  {when}"
