"""LibreOffice as a converter: Word and spreadsheet files to PDF, legacy formats to Office XML.

A tool layer beside ``archive``: it knows nothing of the workspace. ``printing`` builds the PDFs
and the bound volume on it; ``ingest.legacy`` turns .doc/.xls dropped into the inbox into
.docx/.xlsx with it.
"""
