"""The OCR worker process: ``python -m pipeline.scan JOB.json`` (see ``pipeline.scan.worker``)."""

import sys

from pipeline.scan.worker import main

sys.exit(main(sys.argv[1:]))
