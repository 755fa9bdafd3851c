"""zhibu (支部文书流水线): a branch's meeting notes and registers filed as its paperwork.

The library is ``pipeline.api`` (each call takes a workspace and options and returns a report);
``pipeline.commands`` is the ``zhibu`` command line on top of it. Until a caller sets up logging
(``pipeline.logs.configure``), zhibu's log lines go nowhere.
"""

import logging

logging.getLogger("zhibu").addHandler(logging.NullHandler())
