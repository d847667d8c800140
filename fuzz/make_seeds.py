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
    # The scalar families: values at and past their limits, in every format the wire uses.
    scalars = {
        "timestamp": ["9999-12-31T23:30:00-01:00", "2014-04-29T18:30:38Z", "2014-04-29T18:30:38.123456789123Z",
                      "Tue, 29 Apr 2014 18:30:38 GMT", "1398796238.123", "1e-06", "-0044-03-15T12:00:00Z",
                      "2016-12-31T23:59:60Z", "2019-12-16T22:48:18-01:00", "10000-01-01T00:00:00Z",
                      " 2014-04-29T18:30:38+0000 "],
        "integer": ["1", "-2147483648", "2147483648", "9223372036854775808", " 7 ", "+5", "-0"],
        "float": ["NaN", "Infinity", "-Infinity", "1.5", "1e309", "-0", "3.4028236e38", "4.9e-324", "1.100000001", " 2.5 "],
        "boolean": ["true", "false", " true ", "True"],
        "base64": ["Zm9v", "Zg==", "Zg=", "Zm9v\nYmFy", "!!"],
        "enum_string": ["immediate", "requires-reboot", "cache-cluster", "new-value", "&amp;"],
    }
    for target, values in scalars.items():
        for value in values:
            write(target, value.encode())
    # A timestamp built from bytes (first byte 0xff): date, time, offset for the writers.
    write("timestamp", bytes([0xff, 0, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0]))
    # The structured target reads its bytes as choices: any bytes start it somewhere.
    for n in (16, 64, 256, 1024, 4096):
        write("structured_outputs", hashlib.sha512(str(n).encode()).digest() * (n // 64 + 1))


if __name__ == "__main__":
    main()
