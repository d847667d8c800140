#!/usr/bin/env python3
"""Checks the SigV4 signatures of real requests with botocore's own signer.

Input: a JSON file, a list of requests as they went over the wire:
    {"raw": base64 of the request bytes, "scheme": "http"|"https",
     "access_key": ..., "secret_key": ..., "session_token": ...|null}

For each request, botocore's `SigV4Auth.add_auth` (its clock set to the request's
X-Amz-Date) signs the same method, URL, body and exactly the headers the request says it
signed, with the region and service of its credential scope; its Authorization header must
equal the request's, byte for byte. And every header a service insists on having signed
(host, content-type, every x-amz-* header on the wire) must be among the signed ones.

As a control, each request is checked again with one body byte changed (or, without a
body, one more path character): that copy must fail, or the check proves nothing.

Prints `{"checked": N, "failures": [...]}`; exits 1 when any request fails.

    .venv/bin/python tests/python/sigv4_verify.py requests.json
"""
import base64
import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def parse(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
    return method, target, headers, body[:length]


def tampered(raw):
    """The request with one body byte changed, or its path one character longer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    if body:
        return head + b"\r\n\r\n" + body[:-1] + bytes([body[-1] ^ 1])
    line, _, rest = head.partition(b"\r\n")
    method, target, version = line.split(b" ", 2)
    return b" ".join([method, target + b"x", version]) + b"\r\n" + rest + b"\r\n\r\n"


def check(entry, raw=None):
    method, target, headers, body = parse(raw if raw is not None else base64.b64decode(entry["raw"]))
    lower = [(k.lower(), v) for k, v in headers]
    values = dict(lower)
    ours = values.get("authorization")
    if not ours:
        return "no Authorization header"
    fields = dict(part.strip().split("=", 1) for part in ours[len("AWS4-HMAC-SHA256 "):].split(","))
    access_key, date, region, service, _ = fields["Credential"].split("/")
    signed = fields["SignedHeaders"].split(";")
    if access_key != entry["access_key"]:
        return f"signed with access key {access_key}, expected {entry['access_key']}"
    for name in ["host", "content-type", "x-amz-date"] + [k for k, _ in lower if k.startswith("x-amz-")]:
        if name in values and name not in signed:
            return f"header {name} is on the wire but not signed ({fields['SignedHeaders']})"
    # The signer adds X-Amz-Date (from its clock) and X-Amz-Security-Token (from the
    # credentials) itself; every other signed header is given as sent.
    request = AWSRequest(method=method, url=f"{entry['scheme']}://{values['host']}{target}", data=body)
    for name, value in lower:
        if name in signed and name not in ("x-amz-date", "x-amz-security-token"):
            request.headers.add_header(name, value)
    token = entry.get("session_token") if "x-amz-security-token" in signed else None
    if "x-amz-security-token" in signed and values.get("x-amz-security-token") != token:
        return "the session token on the wire is not the credentials' token"
    clock = datetime.datetime.strptime(values["x-amz-date"], "%Y%m%dT%H%M%SZ")
    auth = SigV4Auth(Credentials(entry["access_key"], entry["secret_key"], token), service, region)
    with mock.patch("botocore.auth.get_current_datetime", return_value=clock):
        auth.add_auth(request)
    theirs = request.headers["Authorization"]
    if theirs != ours:
        return f"ours {ours}\n  botocore {theirs}\n  canonical request (botocore):\n{auth.canonical_request(request)}"
    if date != values["x-amz-date"][:8]:
        return f"credential scope date {date} is not the X-Amz-Date's"
    return None


def main():
    entries = json.loads(open(sys.argv[1], encoding="utf-8").read())
    failures = []
    for i, entry in enumerate(entries):
        try:
            problem = check(entry)
        except Exception as e:  # a request botocore cannot even read is a failure too
            problem = f"{type(e).__name__}: {e}"
        if problem:
            failures.append(f"request {i}: {problem}")
        elif check(entry, tampered(base64.b64decode(entry["raw"]))) is None:
            failures.append(f"request {i}: a tampered copy still verifies: the check proves nothing")
    print(json.dumps({"checked": len(entries), "failures": failures}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
