"""Filing inputs: one dropped note or register from the inbox to the archive and the index.

* ``run`` — the straight path of one input (``file_input``: checks → read → plan → commit →
  outcome) and the pass over the whole inbox (``file_inbox``), shared by run and watch;
* ``session`` — the workspace opened for filing: lock, start-up recovery and sweep, the inbox in
  dependency order, the planning state;
* ``checks`` — is it a file, is it new (an ``Arrival``, in ``arrival``); ``reading`` — a dropped file
  read into records;
* ``planner`` — what the filing will do, as a ``FilingPlan``, documents rendered;
* ``committer`` — the journaled commit, or index rows only (``zhibu doctor``);
* ``setbacks`` — what a failure means for the input (``inbox/失败/``, left for a retry, pending);
* ``outcome`` — what became of it (``Status``, ``Outcome``).
"""
