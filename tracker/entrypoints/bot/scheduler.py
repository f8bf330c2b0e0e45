"""One alarm clock on the JobQueue: armed for the next due instant, re-armed after each change.

The database holds the truth; the job only wakes the service up (timerbot's re-arm-by-name).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram.ext import CallbackContext, JobQueue

WAKE = "wake"


class WakeScheduler:
    def __init__(self, job_queue: JobQueue, wake: Callable[[CallbackContext], Awaitable]) -> None:
        self.job_queue = job_queue
        self.wake = wake
        self.armed_for: datetime | None = None

    def arm(self, when: datetime | None) -> None:
        if when == self.armed_for and self.job_queue.get_jobs_by_name(WAKE):
            return
        for job in self.job_queue.get_jobs_by_name(WAKE):
            job.schedule_removal()
        self.armed_for = when
        if when is not None:
            self.job_queue.run_once(
                self.wake, when=when, name=WAKE, job_kwargs={"misfire_grace_time": None}
            )
