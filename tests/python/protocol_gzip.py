#!/usr/bin/env python3
"""The bodies botocore compresses for the gzip cases of its query and ec2 protocol suites.

The suite gives no body for these cases (the compressed bytes differ between gzip
implementations). What botocore sends is computed here with botocore's own code: its query
serializer builds the request, `botocore.compress.maybe_compress_request` (what botocore's
client calls) compresses it as the suite's own runner does (default configuration,
10,240-byte threshold), and the body is inflated again. `tests/tests/protocol.rs` checks that
our compressed bodies inflate to the same text; `tests/tests/differential.rs` reruns this
script and checks that the checked-in output is still what it prints.

    .venv/bin/python tests/python/protocol_gzip.py > tests/data/protocol/gzip-bodies.json
"""
import gzip
import json
import pathlib
import sys

from botocore.compress import maybe_compress_request
from botocore.config import Config
from botocore.model import ServiceModel
from botocore.serialize import create_serializer

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "protocol"
# Each suite with the protocol whose serializer botocore uses for it.
SUITES = [("input-query.json", "query"), ("input-ec2.json", "ec2")]


def main():
    out = {}
    for suite, protocol in SUITES:
        compress_cases(json.loads((DATA / suite).read_text()), protocol, out)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


def compress_cases(groups, protocol, out):
    for group in groups:
        for case in group["cases"]:
            given = case["given"]
            if "requestcompression" not in given:
                continue
            model = ServiceModel(
                {"metadata": dict(group["metadata"], signatureVersion="v4"), "operations": {given["name"]: given}, "shapes": group["shapes"]}
            )
            operation = model.operation_model(given["name"])
            request = create_serializer(protocol, include_validation=False).serialize_to_request(case["params"], operation)
            config = Config(request_min_compression_size_bytes=10240, disable_request_compression=False, signature_version="v4")
            maybe_compress_request(config, request, operation)
            if request["headers"].get("Content-Encoding") != "gzip":
                sys.exit(f"{case['id']}: botocore did not compress the body")
            out[case["id"]] = gzip.decompress(request["body"]).decode("utf-8")


if __name__ == "__main__":
    main()
