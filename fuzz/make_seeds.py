#!/usr/bin/env python3
"""Writes the starting corpus of each fuzz target into fuzz/corpus/<target>/ from the
project's own test data: ElastiCache responses, error documents, small models (the
synthetic model and botocore's protocol-suite models), and endpoint settings and the rule
set. The fuzzers grow the corpus from there; run once, before the first fuzzing run:

    python3 fuzz/make_seeds.py
"""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def operations():
    model = json.loads((ROOT / "models/elasticache/service-2.json").read_text())
    # The generated `json::OPERATIONS` lists operations in the model's (sorted) order.
    return sorted(model["operations"])


def write(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def main():
    ops = operations()
    fixtures = ROOT / "tests/data/fixtures"
    for xml in sorted(fixtures.glob("*.xml")):
        body = xml.read_bytes()
        expected = json.loads(xml.with_suffix(".expected.json").read_text())
        index = ops.index(expected["operation"])
        status_bit = 0x80 if expected.get("status", 200) >= 300 else 0
        write("xml_outputs", bytes([index | status_bit]) + body)
        if status_bit:
            write("error_response", body)
    # Small complete models: the synthetic one, and each protocol-suite group as a model.
    write("model_loader", (ROOT / "tests/data/synthetic/service-2.json").read_bytes())
    for suite in ["input-query.json", "output-query.json"]:
        for group in json.loads((ROOT / "tests/data/protocol" / suite).read_text()):
            case = group["cases"][0]
            op = dict(case["given"])
            model = {"version": "2.0", "metadata": group["metadata"], "operations": {op["name"]: op}, "shapes": group["shapes"]}
            model["metadata"].setdefault("apiVersion", "2014-01-01")
            write("model_loader", json.dumps(model, indent=1).encode())
    for mode, text in [(0, "us-east-1"), (1, "us-gov-west-1"), (2, "cn-north-1"), (3, "us-iso-east-1"),
                       (4, "us-east-1\0https://127.0.0.1:8080/path"), (0, "eu-west-3")]:
        write("endpoint_rules", bytes([mode]) + text.encode())
    write("endpoint_rules", bytes([0x80]) + (ROOT / "models/elasticache/endpoint-rule-set-1.json").read_bytes())


if __name__ == "__main__":
    main()
