"""`make run PORT=…` serves on that port and prints links on it; the demo's second factor is
one command away (`manage.py demo_code`)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import CommandError, call_command
from django.test import override_settings

from forum.devtools.demo import DEMO_TOTP_SECRET, demo_code

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_it_runs_the_server_and_prints_its_links_on_the_port_given():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "runserver --noreload 127.0.0.1:8123" in plan
    assert "http://127.0.0.1:8123" in plan  # SITE_URL: the printed links and the emails' links
    assert "8000" not in plan


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_it_still_runs_on_8000_by_default():
    plan = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    assert "runserver --noreload 127.0.0.1:8000" in plan.stdout


def test_it_gives_the_demo_accounts_current_second_factor_code():
    code, valid = demo_code(now=1_000_000_000)
    assert code == format_hotp_value(hotp_value(DEMO_TOTP_SECRET, 1_000_000_000 // 30))
    assert re.fullmatch(r"\d{6}", code) and 0 < valid <= 30


@override_settings(DEBUG=True)
def test_it_prints_the_demo_code_on_request(capsys):
    call_command("demo_code")
    assert re.match(r"\d{6}  \(valid for \d+ s more\)", capsys.readouterr().out)


def test_it_refuses_to_print_the_demo_code_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")
