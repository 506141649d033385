"""The committed recording of the fake (fixtures/recorded/fake) must match the fake as it is now.

It is the baseline a live recording is diffed against; if the fake changes on purpose, refresh it with
`storefake record --target fake --out fixtures/recorded/fake`.
"""

from __future__ import annotations

from storefake.cli import main
from storefake.resources import data_dir


def test_committed_fake_recording_matches_the_fake(tmp_path, capsys):
    assert main(["record", "--target", "fake", "--out", str(tmp_path / "fake")]) == 0
    baseline = data_dir("fixtures") / "recorded" / "fake"
    code = main(["diff", str(baseline), str(tmp_path / "fake")])
    assert code == 0, capsys.readouterr().out
