from django.contrib import admin, messages

from confab.worker import actions
from confab.worker.models import Job, JobState


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "due_at", "attempts", "locked_by", "error")
    list_filter = ("state", "kind")
    search_fields = ("kind", "key", "last_error")
    ordering = ("-id",)
    actions = ["retry"]
    # Jobs change only through the worker and the Retry action.
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("worker.change_job")

    @admin.display(description="last error")
    def error(self, job: Job) -> str:
        return job.last_error.splitlines()[0] if job.last_error else ""

    @admin.action(description="Retry the selected failed jobs", permissions=["retry"])
    def retry(self, request, queryset):
        failed = list(queryset.filter(state=JobState.FAILED).values_list("id", flat=True))
        queued = actions.retry(failed)
        skipped = queryset.count() - len(failed)
        self.message_user(request, f"Queued {queued} failed job(s) again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} job(s) alone: only failed jobs are retried.",
                messages.WARNING,
            )
