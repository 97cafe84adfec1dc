"""The command line, as a user types it: exit codes and messages, never a traceback."""

import contextlib
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xladdin.cli import main
from xladdin.engine.apportion import METHODS, apportion


def run_cli(*args):
    """The installed console script, in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "xladdin", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "split" in result.stdout


def test_split_json_gives_the_phuong_2_round_2_split():
    result = run_cli("split", "40", "--weights", "4,10,10,5,11", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "shares": [4, 10, 10, 5, 11],
        "method": "largest-remainder",
    }


def test_split_plain_output():
    result = run_cli("split", "10", "--weights", "1,1,1")
    assert (result.returncode, result.stdout.strip()) == (0, "4,3,3")


@pytest.mark.parametrize(
    "args",
    [
        ["split", "-5", "--weights", "1,1"],
        ["split", "10", "--weights", "0,0,0"],
        ["split", "5", "--weights", "1,1,1", "--minimum", "2"],
        ["split", "10", "--weights", "1,abc"],
        ["split", "ten", "--weights", "1,1"],
    ],
)
def test_impossible_split_exits_1_with_a_vietnamese_message(args):
    result = run_cli(*args)
    assert result.returncode == 1
    assert result.stderr.startswith("Lỗi: ")
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("total", ["1e30", "1e99999999", "9" * 5000, "1000000000001"])
def test_split_answers_at_once_for_any_total_a_user_can_type(total):
    """Issue 15: 1e30 by D'Hondt used to run for ever; now past 10^12 is refused at once."""
    result = run_cli("split", total, "--weights", "1,1,1", "--method", "dhondt")  # timeout: 120 s
    assert result.returncode == 1, result.stderr
    assert "quá lớn" in result.stderr or "không phải là số" in result.stderr
    assert "Traceback" not in result.stderr


def test_split_the_largest_total_exactly_by_every_method():
    for method in METHODS:
        result = run_cli("split", "1000000000000", "--weights", "1,1,1", "--method", method)
        assert result.stdout.strip() == "333333333334,333333333333,333333333333", method


@pytest.mark.parametrize(
    "args",
    [["split"], ["split", "10"], ["split", "10", "--weights", "1", "--method", "x"], ["nope"]],
)
def test_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@settings(max_examples=40, deadline=None)
@given(
    total=st.integers(0, 1000),
    weights=st.lists(st.integers(0, 500), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
    method=st.sampled_from(METHODS),
)
def test_cli_agrees_with_the_engine(total, weights, method):
    args = ["split", str(total), "--weights", ",".join(map(str, weights)), "--method", method]
    with contextlib.redirect_stdout(io.StringIO()) as stdout:
        code = main([*args, "--json"])
    out = json.loads(stdout.getvalue())
    assert code == 0
    assert out == {"shares": apportion(total, weights, method=method), "method": method}
