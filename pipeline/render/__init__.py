"""Records + template → .docx: the template variables of a meeting (``minutes``; a register
kind's own are in ``pipeline.kinds``), the sandboxed, time- and size-bounded docxtpl rendering (``environment``,
``limits``), the compile-once batch renderer (``fast*``, ``docx_zip``), and the default templates,
built in code with the Word toolkit (``default_templates``, ``development_templates``)."""
