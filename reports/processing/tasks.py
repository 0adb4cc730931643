"""The background tasks: thin, like commands; the work is in the plain functions they call.

Run by ``manage.py worker`` (reports/processing/worker.py) from the database
queue of django-tasks-db. Arguments are ids, never rows: a task may run after
its row changed.
"""

from django_tasks import task

# Files staff are waiting for come before the upkeep.
UPKEEP_PRIORITY = -10


@task()
def process_upload_task(upload_id: int) -> str:
    from reports.processing.uploads import process_upload

    return process_upload(upload_id=upload_id)


@task(priority=UPKEEP_PRIORITY)
def reindex_reports_task(report_ids: list[int]) -> int:
    from reports.search import index_reports

    index_reports(report_ids)
    return len(report_ids)


@task(priority=UPKEEP_PRIORITY)
def catch_up_index_task() -> dict:
    from reports.search import catch_up

    result = catch_up()
    return {"indexed": result.indexed, "removed": result.removed, "failed": result.failed}


@task(priority=UPKEEP_PRIORITY)
def sweep_task() -> dict:
    from reports.processing.upkeep import sweep

    return sweep()
