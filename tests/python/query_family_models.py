#!/usr/bin/env python3
"""The models of every query-family service of the installed botocore, as one JSON object.

For each service whose newest API version's `metadata.protocol` is `query` or `ec2`:
`{"<service>": {"service-2.json": text, "paginators-1.json": text, "waiters-2.json": text}}`
(companions only when botocore has them; gzipped files decompressed), under `"botocore"`
the version. `tests/tests/generate.rs` resolves every paginator and waiter expression of
them through the generator.

    .venv/bin/python tests/python/query_family_models.py
"""
import gzip
import json
import pathlib
import sys

import botocore

DATA = pathlib.Path(botocore.__file__).resolve().parent / "data"
FILES = ["service-2.json", "paginators-1.json", "waiters-2.json"]


def read(folder, name):
    plain, packed = folder / name, folder / (name + ".gz")
    if plain.exists():
        return plain.read_text(encoding="utf-8")
    if packed.exists():
        return gzip.decompress(packed.read_bytes()).decode("utf-8")
    return None


def main():
    out = {"botocore": botocore.__version__, "services": {}}
    for service in sorted(p for p in DATA.iterdir() if p.is_dir()):
        versions = sorted(v for v in service.iterdir() if v.is_dir() and read(v, "service-2.json") is not None)
        if not versions:
            continue
        newest = versions[-1]
        texts = {name: read(newest, name) for name in FILES}
        if json.loads(texts["service-2.json"])["metadata"]["protocol"] not in ("query", "ec2"):
            continue
        out["services"][service.name] = {k: v for k, v in texts.items() if v is not None}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
