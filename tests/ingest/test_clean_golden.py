"""Golden files for the cleaning stage (Read the Docs style: in/ -> out/).

Adding a tricky real document means adding two files: the extracted text under
fixtures/samples/in/ and its reviewed clean text, same name, under out/.
"""

from pathlib import Path

import pytest

from archive.ingest.clean import clean_text

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
INPUTS = sorted((SAMPLES / "in").glob("*.txt"))


def test_every_sample_input_has_a_reviewed_output_and_no_output_is_orphaned():
    assert INPUTS, "no golden inputs found"
    outputs = sorted(path.name for path in (SAMPLES / "out").glob("*.txt"))
    assert outputs == [path.name for path in INPUTS]


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_cleaning_the_sample_gives_exactly_the_reviewed_output(source: Path):
    expected = (SAMPLES / "out" / source.name).read_text(encoding="utf-8")
    assert clean_text(source.read_text(encoding="utf-8")).text + "\n" == expected


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_cleaning_the_reviewed_output_again_changes_nothing(source: Path):
    expected = (SAMPLES / "out" / source.name).read_text(encoding="utf-8").rstrip("\n")
    again = clean_text(expected)
    assert again.text == expected
    assert again.removed == ()
