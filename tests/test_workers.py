"""Forked workers start with standard streams of their own."""

from __future__ import annotations

import os
import sys
import threading
import time

from generator.workers import start_worker


def test_a_worker_forked_while_the_builder_is_blocked_writing_to_stderr_can_still_flush_it() -> None:
    # The builder's main thread writes progress while the pool forks replacement workers from
    # another thread: a worker forked during such a write inherits the stream's lock held (by
    # a thread it does not have) and, without streams of its own, hangs when it flushes
    # stderr on its way out, as multiprocessing's workers do.
    read_end, write_end = os.pipe()
    blocked = os.fdopen(write_end, "w")
    saved = sys.stderr
    sys.stderr = blocked
    writer = threading.Thread(target=lambda: (blocked.write("x" * (1 << 20)), blocked.flush()), daemon=True)
    try:
        writer.start()
        writer.join(0.5)
        assert writer.is_alive(), "the write should block on the full pipe, holding the stream's lock"
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                start_worker()
                sys.stdout.flush()
                sys.stderr.flush()
                code = 0
            finally:
                os._exit(code)
        deadline = time.monotonic() + 20
        exit_code = None
        while exit_code is None and time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                exit_code = os.waitstatus_to_exitcode(status)
            else:
                time.sleep(0.05)
        if exit_code is None:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        assert exit_code is not None, "the worker hung on the stream it inherited"
        assert exit_code == 0
    finally:
        sys.stderr = saved
        os.set_blocking(read_end, False)
        while writer.is_alive():  # let the writer finish
            try:
                os.read(read_end, 1 << 20)
            except BlockingIOError:
                writer.join(0.05)
        blocked.close()
        os.close(read_end)
