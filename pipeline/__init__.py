"""zhibu (支部文书流水线): a Party branch's notes and registers in, filed GB/T 9704 documents out.

One input goes ``ingest`` (file → records) → ``planning`` (records + workspace → planned document)
→ ``render`` (→ .docx) → ``archive`` (atomic filing, with ``store`` holding the index); ``term``
makes the term and year outputs, ``printing`` the PDFs and the bound volume, ``wordkit`` is the
Word toolkit every document is written with. ``commands``, ``watch`` and the web workbench only
orchestrate.
"""
