"""The WSGI entry point (forum/wsgi.py)."""

import gc
import importlib


def test_it_freezes_what_the_process_loaded_for_its_whole_life():
    gc.unfreeze()
    try:
        importlib.import_module("forum.wsgi")
        importlib.reload(importlib.import_module("forum.wsgi"))
        assert gc.get_freeze_count() > 10_000  # Django and the apps: never walked by a full collection
        assert callable(importlib.import_module("forum.wsgi").application)
    finally:
        gc.unfreeze()
