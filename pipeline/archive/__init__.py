"""The filing transaction: outputs and the original placed atomically with their index rows
(a redo journal makes it crash-safe), rejected inputs moved to ``inbox/失败/`` with a reason,
and the health check of the index against the archive on disk."""
