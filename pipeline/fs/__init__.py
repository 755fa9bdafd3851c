"""Low-level file-system helpers, below every stage: atomic writes and the one ``publish``
helper, Windows-safe names and archive paths, content hashes and file signatures, byte-stable
Office packages, the sweep of temporary leftovers, and the classification of disk faults. Nothing
here knows the index or the filing transaction (that is ``pipeline.archive``)."""
