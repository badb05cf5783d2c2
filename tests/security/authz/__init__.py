"""The authorization matrix's parts: the personas, cells and world (`world`) and the rows by area
(`rows_site`, `rows_desk`). tests/security/test_authorization_matrix.py runs them."""

import pytest

# world asserts too (a cell names a known persona, the key holder's key works): rewritten as in a test module.
pytest.register_assert_rewrite("tests.security.authz.world")
