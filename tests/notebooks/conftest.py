"""The downloaded notebooks need a built site: ``nox -s notebooks`` runs this folder.

The default test run skips it (``--ignore=tests/notebooks`` in pyproject.toml);
``--confcutdir=tests/notebooks`` keeps the torch-based ``tests/conftest.py`` out.
"""
