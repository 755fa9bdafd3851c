"""zhibu (支部文书流水线): a Party branch's notes and registers in, filed GB/T 9704 documents out.

One input goes ``filing`` (checks → read with ``ingest`` → plan with ``planning`` and ``render`` →
the journaled commit of ``archive``, with ``store`` holding the index → outcome); ``term`` makes the
term and year outputs, ``printing`` the PDFs and the bound volume, ``wordkit`` is the Word toolkit
every document is written with. ``api`` is the library face (each call takes a workspace and
options and returns a report); ``commands``, ``watch`` and the web workbench only orchestrate.
Until a caller sets up logging (``pipeline.logs.configure``), zhibu's log lines go nowhere.
"""

import logging

logging.getLogger("zhibu").addHandler(logging.NullHandler())
