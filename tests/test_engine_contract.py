"""Both engines implement the declared contract (search/engine.py), not names that
happen to match: a method missing or with other parameters fails here, not in a
production search on the other engine."""

from __future__ import annotations

import inspect

import pytest

from search.backend import ArchiveWhooshBackend
from search.elastic import ArchiveElasticsearchBackend
from search.engine import Engine

CONTRACT = [
    name
    for name, member in vars(Engine).items()
    if inspect.isfunction(member) and not name.startswith("_")
]


def parameters(function) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


def test_the_contract_declares_reads_writes_and_batching():
    assert set(CONTRACT) == {
        "analyst_search",
        "similar",
        "indexed_versions",
        "index_status",
        "index_state",
        "update",
        "remove",
        "clear",
        "batched_writes",
        "writer_processes",
        "warm",
    }


@pytest.mark.parametrize("engine", [ArchiveWhooshBackend, ArchiveElasticsearchBackend])
@pytest.mark.parametrize("name", CONTRACT)
def test_each_engine_implements_each_method_with_the_contracts_parameters(engine, name):
    assert issubclass(engine, Engine)
    assert parameters(getattr(engine, name)) == parameters(getattr(Engine, name))
