"""XSS everywhere's parts: the payload corpus (`corpus`), the checker that judges a page, a feed or an
email (`checker`), and the world that puts every value in every field and renders every page (`world`).
tests/security/test_xss_everywhere.py runs them."""

import pytest

# world asserts too (every page it renders answers 200): rewritten as in a test module.
pytest.register_assert_rewrite("tests.security.xss.world")
