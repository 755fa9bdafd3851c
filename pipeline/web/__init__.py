"""``zhibu serve``: the local web workbench.

* ``backend`` — every call into the rest of zhibu (the watcher of pipeline.api, status, batch, print,
  search, the converter, zhibu.toml); returns the records of ``model``.
* ``app`` — the Starlette application: branches, templates, error pages; ``pages`` (GET) and
  ``actions`` (POST) hold the routes; ``jobs`` runs long work in threads with progress.
* ``security`` — Host/Origin checks, CSRF tokens, scrypt passwords, body limits.
* ``server`` — the watchers and uvicorn in one process.
"""
