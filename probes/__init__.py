"""Framework probes: run real frameworks on shared cases and check them.

``cases`` defines the inputs, ``probe`` runs one framework (through its
``fw_<name>`` module) and writes ``results/<name>.json``, ``compare`` checks
the recorded outputs against :mod:`conv_explained`, and ``ensure_results``
reruns missing or stale probes. ``nox -s frameworks`` runs every probe in its
own virtual environment.
"""
