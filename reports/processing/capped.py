"""Run one function in a child process with a memory cap and a time cap.

The child is a fork of the caller (a worker, or ``manage.py ingest``): it
starts in milliseconds with everything imported, runs the function, sends the
value (or the exception) back through a pipe and exits with ``os._exit``, so
it never touches the database connections it inherited. Whatever the function
does, the caller survives it:

* **Memory**: ``RLIMIT_DATA`` (heap and private writable mappings, which is where
  a decompression bomb or a runaway parser grows) is set to the cap in the child;
  an allocation past it fails, Python raises ``MemoryError`` and the child
  reports it. Not ``RLIMIT_AS``: numpy/OpenBLAS, onnxruntime and LibreOffice
  reserve address space they never use (LibreOffice alone maps over 1 GB), so an
  address-space cap fails them while they are harmless. Programs the child runs
  (tesseract, soffice) inherit the same caps, each for itself.
* **Time**: the parent kills the child's whole process group (it and anything it
  started) at the deadline. ``RLIMIT_CPU`` a little past it is a backstop should
  the parent itself be killed first.
* **Ctrl-C**: the child has a process group of its own, so a terminal's Ctrl-C
  reaches the worker, which decides (``stop_children``), not the child.

The parent also reads the child's peak resident memory from ``wait4``'s rusage.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from typing import Any

MB = 1024 * 1024
# Exit statuses of a child that could not send its answer through the pipe.
_EXIT_MEMORY = 3
_EXIT_UNSENDABLE = 4
# A child killed for memory often dies in C (abort, segfault) rather than by MemoryError;
# with its peak this close to the cap, the cap is what stopped it.
_NEAR_CAP = 0.9


@dataclass
class ChildOutcome:
    value: Any = None
    error: BaseException | None = None   # what the function raised, rebuilt in the parent
    stopped: str = ""                     # "memory", "time", "crashed" or "interrupted" when it did not finish
    detail: str = ""                      # for "crashed": how it died
    peak_kb: int = 0                      # peak resident memory of the child, KiB
    seconds: float = 0.0

    @property
    def finished(self) -> bool:
        return not self.stopped


_running: set[int] = set()   # process groups of the children running now (normally one)
_interrupted = False


def stop_children() -> None:
    """Kill the running children (the worker is stopping); their callers see ``stopped == "interrupted"``."""
    global _interrupted
    _interrupted = True
    for group in list(_running):
        _kill_group(group)


def run_capped(
    function: Callable[..., Any],
    /,
    *args: Any,
    memory_bytes: int,
    seconds: float,
    progress: Callable[[int, int], None] | None = None,
    **kwargs: Any,
) -> ChildOutcome:
    """``function(*args, progress=..., **kwargs)`` in a capped child of its own; its outcome, never an exception of its own.

    The function gets a ``progress(done, total)`` callback whose calls reach
    ``progress`` here, in the parent. It must return and raise picklable things.
    """
    with CappedChild(function, memory_bytes=memory_bytes, seconds=seconds, calls=1) as child:
        return child.run(*args, progress=progress, **kwargs)


class CappedChild:
    """A child process that runs ``function`` under the caps, for ``calls`` calls in a row, then exits.

    One call a child (the worker's uploads) gives each file a fresh process and
    its exact peak memory. Several (``manage.py ingest``) spread the cost of the
    fork, a few milliseconds, over many small files; a file that hits a cap still
    kills only that child, and the next file gets a new one. The time cap is per call.
    """

    def __init__(self, function: Callable[..., Any], *, memory_bytes: int, seconds: float, calls: int = 1):
        self.function, self.memory_bytes, self.seconds, self.calls = function, memory_bytes, seconds, calls
        self.pid: int | None = None
        self.used = 0   # calls the current child has taken

    def __enter__(self) -> "CappedChild":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, *args: Any, progress: Callable[[int, int], None] | None = None, **kwargs: Any) -> ChildOutcome:
        global _interrupted
        _interrupted = False
        started = time.monotonic()
        if self.pid is None:
            self._start()
        try:
            self.requests.send((args, kwargs))
        except OSError:
            outcome = ChildOutcome(stopped="crashed")   # died between calls
        else:
            outcome = _supervise(self.answers, self.pid, started + self.seconds, progress)
        self.used += 1
        if outcome.stopped or self.used >= self.calls:
            outcome = self._reap(outcome)
        outcome.seconds = time.monotonic() - started
        return outcome

    def close(self) -> None:
        if self.pid is not None:
            self._reap(ChildOutcome())

    def _start(self) -> None:
        requests_in, requests_out = Pipe(duplex=False)
        answers_in, answers_out = Pipe(duplex=False)
        # What the parent holds is left out of the child's garbage collections: otherwise
        # the first collection touches every object and copies every page of the parent.
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its results are checked through the parent
            requests_out.close()
            answers_in.close()
            _child(requests_in, answers_out, self.function, calls=self.calls,
                   memory_bytes=self.memory_bytes, seconds=self.seconds)
        requests_in.close()
        answers_out.close()
        try:
            os.setpgid(pid, pid)   # set on both sides, so a kill right away reaches its group
        except OSError:
            pass
        self.pid, self.requests, self.answers, self.used = pid, requests_out, answers_in, 0
        _running.add(pid)

    def _reap(self, outcome: ChildOutcome) -> ChildOutcome:
        """End the child (asked to, if it is still fine; killed otherwise) and read how it ended."""
        pid = self.pid
        self.requests.close()   # a child waiting for its next call sees the end and exits
        if outcome.stopped:
            _kill_group(pid)
        self.answers.close()
        try:
            _, status, usage = os.wait4(pid, 0)
        finally:
            _kill_group(pid)   # anything the child left running (a tesseract it started)
            _running.discard(pid)
            self.pid = None
        outcome.peak_kb = usage.ru_maxrss
        return _classify(outcome, status, self.memory_bytes)


def _supervise(receiving: Connection, pid: int, deadline: float, progress) -> ChildOutcome:
    outcome = ChildOutcome(stopped="crashed")
    while True:
        if _interrupted:
            _kill_group(pid)
            return ChildOutcome(stopped="interrupted")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill_group(pid)
            return ChildOutcome(stopped="time")
        try:
            if not receiving.poll(min(remaining, 0.5)):
                continue
            message = receiving.recv()
        except (EOFError, OSError):
            return outcome   # exited without an answer: the exit status says why
        kind = message[0]
        if kind == "progress":
            if progress is not None:
                progress(message[1], message[2])
        elif kind == "value":
            return ChildOutcome(value=message[1])
        elif kind == "error":
            return ChildOutcome(error=message[1])
        elif kind == "memory":
            return ChildOutcome(stopped="memory")


def _classify(outcome: ChildOutcome, status: int, memory_bytes: int) -> ChildOutcome:
    if outcome.stopped != "crashed":
        return outcome
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _EXIT_MEMORY:
        outcome.stopped = "memory"
    elif outcome.peak_kb * 1024 >= _NEAR_CAP * memory_bytes:
        outcome.stopped = "memory"
    elif os.WIFSIGNALED(status):
        outcome.detail = signal.Signals(os.WTERMSIG(status)).name
    else:
        outcome.detail = f"exit status {os.WEXITSTATUS(status)}"
    return outcome


def _kill_group(group: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _child(requests: Connection, answers: Connection, function, *, calls: int, memory_bytes: int, seconds: float) -> None:  # pragma: no cover
    code = 0
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
        # A backstop should the parent die first: CPU seconds for all the calls this child takes.
        cpu = int(seconds * calls) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

        def progress(done: int, total: int) -> None:
            answers.send(("progress", done, total))

        for _ in range(calls):
            try:
                args, kwargs = requests.recv()
            except EOFError:
                break   # the parent has no more calls for this child
            try:
                answers.send(("value", function(*args, progress=progress, **kwargs)))
            except MemoryError:
                code = _send_or(answers, ("memory",), _EXIT_MEMORY)
                break   # whatever the function left behind, this child is done
            except Exception as error:  # noqa: BLE001 - everything goes back to the parent
                code = _send_or(answers, ("error", _picklable(error)), _EXIT_UNSENDABLE)
                if code:
                    break
    except BaseException:  # noqa: BLE001 - a child never runs the parent's code after fork
        code = _EXIT_UNSENDABLE
    finally:
        os._exit(code)


def _send_or(sending: Connection, message: tuple, code: int) -> int:
    try:
        sending.send(message)
        return 0
    except BaseException:  # noqa: BLE001 - no memory left to pickle with, or an unpicklable error
        return code


def _picklable(error: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError("".join(traceback.format_exception_only(error)).strip())
