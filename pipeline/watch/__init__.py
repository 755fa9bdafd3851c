"""``zhibu watch``: leave it running, drop files into ``inbox/``, find them filed.

* ``observer`` — watchdog events reduced to hints; a supervisor restarts a dead observer.
* ``settle`` — when a dropped file is complete (quiet period, writer closed, not locked).
* ``loop`` — the single consumer: hints and periodic scans in, one complete file at a time
  through the same ``file_input`` as ``zhibu run``, in one filing session.
* ``report`` — the one Chinese line per file.

Exactly once: only the loop's thread processes files, under the workspace lock, one at a
time; each filing is one journaled commit (``pipeline.archive.commit``), so after a crash and
a restart every input is either still in the inbox, filed once with all its outputs, or in
``inbox/失败/`` — and an input seen again after it was filed is dropped by its SHA-256.
"""

from pipeline.watch.loop import Watcher, WatchStats

__all__ = ["Watcher", "WatchStats"]
