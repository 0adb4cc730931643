"""Background processing: uploads read in a capped child by a worker, and the periodic upkeep.

The rest of the code imports only what is here. The tasks themselves live in
``reports.processing.tasks`` (thin: they call these functions).
"""

from reports.processing.capped import CappedChild, ChildOutcome, run_capped
from reports.processing.caps import ReadingCaps, parse_keywords, reading_caps
from reports.processing.reading import ReadingInterrupted, ReadingStopped, capped_reading, read_capped
from reports.processing.schedule import queue_due_tasks, queue_reindex
from reports.processing.upkeep import find_orphan_originals, recover_stalled_uploads, remove_orphan_originals, sweep
from reports.processing.uploads import accept_uploads, process_upload, retry_uploads
from reports.processing.worker import WorkerLoop, run_next_task, run_queued_tasks

__all__ = [
    "CappedChild",
    "ChildOutcome",
    "ReadingCaps",
    "ReadingInterrupted",
    "ReadingStopped",
    "WorkerLoop",
    "accept_uploads",
    "capped_reading",
    "find_orphan_originals",
    "parse_keywords",
    "process_upload",
    "queue_due_tasks",
    "queue_reindex",
    "read_capped",
    "reading_caps",
    "recover_stalled_uploads",
    "remove_orphan_originals",
    "retry_uploads",
    "run_capped",
    "run_next_task",
    "run_queued_tasks",
    "sweep",
]
