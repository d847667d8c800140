#!/usr/bin/env python3
"""IAM authentication tokens as botocore makes them, for the `auth_token` suite.

Input (stdin): a JSON list of cases, each
    {"kind": "elasticache", "cache_name": ..., "user_id": ..., "serverless": bool,
     "region": ..., "expires": seconds, "time": epoch seconds,
     "access_key": ..., "secret_key": ..., "session_token": ...|null}
or  {"kind": "rds", "hostname": ..., "port": ..., "username": ..., "region": ...,
     "time": ..., "access_key": ..., "secret_key": ..., "session_token": ...|null}

ElastiCache: botocore's `SigV4QueryAuth` presigns `GET http://{cache_name}/` with the query
`Action=connect&User={user_id}` (and `ResourceType=ServerlessCache`) for service
`elasticache`, the way the ElastiCache user guide's token is made; the token is the URL
without `http://`. RDS: an RDS client's `generate_db_auth_token` (what boto3 calls), region
given. botocore's clock is set to `time` for each case.

Prints a JSON list of tokens, in the cases' order.
"""
import datetime
import json
import sys

import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def at(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).replace(tzinfo=None)


def elasticache(case):
    params = {"Action": "connect", "User": case["user_id"]}
    if case["serverless"]:
        params["ResourceType"] = "ServerlessCache"
    request = AWSRequest(method="GET", url="http://%s/" % case["cache_name"], params=params)
    credentials = Credentials(case["access_key"], case["secret_key"], case["session_token"])
    botocore.auth.SigV4QueryAuth(credentials, "elasticache", case["region"], expires=case["expires"]).add_auth(request)
    url = request.prepare().url
    assert url.startswith("http://"), url
    return url[len("http://"):]


def rds(case, session):
    client = session.create_client(
        "rds",
        region_name=case["region"],
        aws_access_key_id=case["access_key"],
        aws_secret_access_key=case["secret_key"],
        aws_session_token=case["session_token"],
    )
    return client.generate_db_auth_token(case["hostname"], case["port"], case["username"], Region=case["region"])


def main():
    session = botocore.session.get_session()
    tokens = []
    for case in json.load(sys.stdin):
        now = at(case["time"])
        botocore.auth.get_current_datetime = lambda now=now: now
        tokens.append(elasticache(case) if case["kind"] == "elasticache" else rds(case, session))
    json.dump(tokens, sys.stdout)


if __name__ == "__main__":
    main()
