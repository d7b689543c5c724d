"""Which manifest entry a newly ingested file replaces (api.workspace.Manifest.by_source_key)."""

from __future__ import annotations

from api.workspace import DocumentEntry, Manifest


def _manifest() -> Manifest:
    entries = [
        DocumentEntry("a", "plan.txt", "1" * 64, source_path="/x/a/plan.txt", source_key="/x/a/plan.txt"),
        DocumentEntry("b", "plan.txt", "2" * 64, source_path="/x/b/plan.txt", source_key="/x/b/plan.txt"),
        DocumentEntry("u", "plan.txt", "3" * 64, source_path="/tmp/up1/plan.txt", source_key="plan.txt"),
        DocumentEntry("old", "notes.txt", "4" * 64, source_path="/x/c/notes.txt"),  # before keys
    ]
    return Manifest(documents={e.id: e for e in entries})


def test_files_from_disk_match_by_resolved_path_only():
    m = _manifest()
    assert [e.id for e in m.by_source_key("/x/a/plan.txt")] == ["a"]
    assert m.by_source_key("/x/new/plan.txt") == []  # same name, other folder: a new document
    assert [e.id for e in m.by_source_key("/x/c/notes.txt")] == ["old"]  # legacy entry by its path


def test_uploads_match_by_file_name():
    m = _manifest()
    assert [e.id for e in m.by_source_key("plan.txt", upload=True)] == ["u"]
    assert [e.id for e in m.by_source_key("notes.txt", upload=True)] == ["old"]  # legacy: by name


def test_manifest_round_trip_keeps_the_key():
    m = Manifest.from_dict(_manifest().to_dict())
    assert m.documents["b"].source_key == "/x/b/plan.txt" and m.documents["old"].source_key is None
