"""The media store on an S3-compatible object store (Tencent COS, MinIO, AWS S3 all speak this
API through boto3). Objects carry their Content-Type and a Cache-Control, so the bucket (or
its CDN) serves them as the local media route would: content-addressed keys for a year,
immutable; anything else for an hour. Pictures are read back through the API, never through
MEDIA_URL, so a CDN in front of the bucket changes nothing here."""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from typing import BinaryIO

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from app.media.immutable import CACHE_CONTROL as IMMUTABLE
from app.media.immutable import PREFIXES as IMMUTABLE_PREFIXES
from app.media.keys import checked_key

MUTABLE = "public, max-age=3600"
MISSING = {"404", "NoSuchKey", "NotFound"}

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def s3_client(config) -> object:
    """One client per process and settings: boto3 clients are thread-safe and keep a connection
    pool, but creating one is not thread-safe and costs milliseconds, so it is made once, lazily."""
    settings = (config["MEDIA_S3_ENDPOINT"], config["MEDIA_S3_REGION"], config["MEDIA_S3_ACCESS_KEY"],
                config["MEDIA_S3_SECRET_KEY"], config["MEDIA_S3_ADDRESSING"])
    client = _clients.get(settings)
    if client is None:
        with _clients_lock:
            client = _clients.get(settings)
            if client is None:
                endpoint, region, access_key, secret_key, addressing = settings
                client = boto3.session.Session().client(
                    "s3", endpoint_url=endpoint, region_name=region,
                    aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                    # COS answers virtual-hosted addresses (bucket.cos.<region>.myqcloud.com).
                    config=BotoConfig(s3={"addressing_style": addressing},
                                      retries={"max_attempts": 3, "mode": "standard"},
                                      connect_timeout=5, read_timeout=30))
                _clients[settings] = client
    return client


def object_headers(key: str) -> dict[str, str]:
    """What the bucket answers browsers with for this key."""
    return {"ContentType": mimetypes.guess_type(key)[0] or "application/octet-stream",
            "CacheControl": IMMUTABLE if key.startswith(IMMUTABLE_PREFIXES) else MUTABLE}


class S3Storage:
    def __init__(self, client, bucket: str, url_prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.url_prefix = url_prefix.rstrip("/") + "/"

    def save(self, key: str, data: bytes) -> str:
        # One PUT: a reader sees the whole object or none (S3 and COS writes are atomic).
        self.client.put_object(Bucket=self.bucket, Key=str(checked_key(key)), Body=data, **object_headers(key))
        return self.url(key)

    def save_file(self, key: str, source: str | Path) -> None:
        """Streams the file in parts (large exports never sit in memory)."""
        self.client.upload_file(str(source), self.bucket, str(checked_key(key)), ExtraArgs=object_headers(key))

    def open(self, key: str) -> BinaryIO:
        """A readable, closable stream; a missing object raises FileNotFoundError like a local file."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=str(checked_key(key)))
        except ClientError as exc:
            raise _as_os_error(exc, key) from exc
        return answer["Body"]

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=str(checked_key(key)))

    def url(self, key: str) -> str:
        return self.url_prefix + key

    def version(self, key: str) -> str | None:
        """The object's ETag: changes whenever its content does."""
        head = self._head(key)
        return head["ETag"] if head else None

    def _head(self, key: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=str(checked_key(key)))
        except ClientError as exc:
            if _code(exc) in MISSING:
                return None
            raise _as_os_error(exc, key) from exc


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _as_os_error(exc: ClientError, key: str) -> OSError:
    """Readers already treat a vanished local file (OSError) as "no picture"; the store's
    answers map onto that, so no caller needs to know boto3."""
    if _code(exc) in MISSING:
        return FileNotFoundError(f"no stored object {key!r}")
    return OSError(f"object store refused {key!r}: {_code(exc)}")
