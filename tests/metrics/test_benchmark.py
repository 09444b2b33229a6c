"""`make bench --only`: partial runs on a loaded machine, and a clear refusal of a stage that does not exist."""

import pytest
from django.core.management import CommandError, call_command

from metrics.benchmark import STAGES, stages_chosen


def test_every_stage_runs_unless_told():
    assert stages_chosen(None) == set(STAGES)
    assert stages_chosen("") == set(STAGES)


def test_only_the_stages_named_run_and_units_bring_the_ingestion_they_read():
    assert stages_chosen("pages, queries") == {"pages", "queries"}
    assert stages_chosen("units") == {"units", "ingestion"}


def test_an_unknown_stage_is_refused_before_anything_is_created():
    with pytest.raises(CommandError, match="unknown stage"):
        call_command("bench", "--only", "pages,dashbord")
