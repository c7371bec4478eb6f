"""The steps of the browser end-to-end tests, one module per page over the shared harness (see ../browser_tests.py)."""
