"""A real S3 HTTP server for the object-store media tests: moto's server mode, in this process
on a free port (no Docker, no network), and a fresh publicly readable bucket per test.
Registered as a plugin by tests/conftest.py; moto is imported only when a test asks for it."""

from __future__ import annotations

import json
import socket
import uuid

import boto3
import pytest

KEYS = {"MEDIA_S3_ACCESS_KEY": "test-key", "MEDIA_S3_SECRET_KEY": "test-secret", "MEDIA_S3_REGION": "ap-shanghai"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    """A fresh bucket and a client of our own to look into it (not the app's)."""
    name = f"fenxiao-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=KEYS["MEDIA_S3_REGION"],
                          aws_access_key_id="test-key", aws_secret_access_key="test-secret")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": KEYS["MEDIA_S3_REGION"]})
    # the README's bucket policy: anyone may read an object, nobody may list or write anonymously
    client.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}]}))
    return name, client


def s3_settings(endpoint: str, bucket_name: str) -> dict:
    """The app's settings for that bucket (path-style addresses: the server is one host)."""
    return {"MEDIA_BACKEND": "s3", "MEDIA_S3_ENDPOINT": endpoint, "MEDIA_S3_BUCKET": bucket_name,
            "MEDIA_S3_ADDRESSING": "path", "MEDIA_URL": f"{endpoint}/{bucket_name}/", **KEYS}
