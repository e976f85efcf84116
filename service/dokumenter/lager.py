"""Where the files themselves live: a directory on disk (the embedded default) or S3-compatible object storage.

A file is written under its own new key before its row is committed (service/dokumenter/service.py), and no key is
ever written twice or deleted while a row names it. So a failed commit leaves at most a file no row names (harmless;
`sagsflow dokumenter oprydning` removes those), and a committed row always names a file that is there.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from service import clock
from service.config import ConfigError, Settings

CHUNK = 1 << 20


@dataclass(frozen=True)
class Stored:
    size: int
    sha256: str


class StoreUnavailable(Exception):
    """The document store could not be reached or refused the request (the reason is in the chained error)."""


class BlobMissing(Exception):
    """No file under the key, or it is not the file that was stored (its checksum differs)."""


class DocumentStore(Protocol):
    name: str

    def put(self, key: str, data: BinaryIO) -> Stored:
        """Writes the stream from its start under `key`, whole or not at all."""

    def open(self, key: str, sha256: str) -> Iterator[bytes]:
        """The file's bytes in chunks; raises BlobMissing before the first chunk if it is not there whole."""

    def keys(self) -> Iterator[tuple[str, datetime]]:
        """Every key with when it was written (for the clean-up of files no row names)."""

    def delete(self, key: str) -> None:
        """Only for the clean-up: a key no row names."""


def _copy_hashing(data: BinaryIO, write: Any) -> Stored:
    digest = hashlib.sha256()
    size = 0
    data.seek(0)
    while chunk := data.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        write(chunk)
    data.seek(0)
    return Stored(size, digest.hexdigest())


class DiskStore:
    """Files under a directory, written atomically: to a temporary file beside the target, synced, then renamed."""

    name = "disk"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise BlobMissing(key)  # keys are ours (uuids), so this is a bug, never a path a client chose
        return path

    def put(self, key: str, data: BinaryIO) -> Stored:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
            try:
                with os.fdopen(fd, "wb") as out:
                    stored = _copy_hashing(data, out.write)
                    out.flush()
                    os.fsync(out.fileno())
                # The service's clock as the file's time: the clean-up's grace period is counted on one clock.
                os.utime(temporary, (clock.now().timestamp(), clock.now().timestamp()))
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            directory = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)  # the rename itself survives a power cut
            finally:
                os.close(directory)
        except OSError as err:
            raise StoreUnavailable(type(err).__name__) from err
        return stored

    def open(self, key: str, sha256: str) -> Iterator[bytes]:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError as err:
            raise BlobMissing(key) from err
        except OSError as err:
            raise StoreUnavailable(type(err).__name__) from err
        # The checksum is checked before anything is sent: a damaged file is an error, not a download of it.
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            handle.close()
            raise BlobMissing(key)
        handle.seek(0)
        return _chunks(handle)

    def keys(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.is_file():  # also a ".upload-" file of a write that died half way: no row names it either
                yield path.relative_to(self.root).as_posix(), datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


class S3Store:
    """Objects in a bucket of S3-compatible storage (AWS, MinIO, Ceph …) through boto3.

    S3 makes a PUT visible whole or not at all; the SHA-256 is sent with it, so the server refuses a body damaged on
    the way, and it is checked again when the object is read.
    """

    name = "s3"

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        import boto3
        from botocore.config import Config
        credentials = {}
        if settings.s3_access_key_id:  # otherwise boto3's own chain (environment, instance role …)
            credentials = {"aws_access_key_id": settings.s3_access_key_id,
                           "aws_secret_access_key": settings.s3_secret_access_key}
        client = boto3.client("s3", endpoint_url=settings.s3_endpoint_url or None,
                              region_name=settings.s3_region or None,
                              config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
                              **credentials)
        return cls(client, settings.s3_bucket, settings.s3_prefix)

    def put(self, key: str, data: BinaryIO) -> Stored:
        from botocore.exceptions import BotoCoreError, ClientError
        stored = _copy_hashing(data, lambda _chunk: None)
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data,
                                   ChecksumSHA256=_b64(stored.sha256), ContentLength=stored.size)
        except (BotoCoreError, ClientError) as err:
            raise StoreUnavailable(type(err).__name__) from err
        finally:
            data.seek(0)
        return stored

    def open(self, key: str, sha256: str) -> Iterator[bytes]:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise BlobMissing(key) from err
            raise StoreUnavailable(type(err).__name__) from err
        except BotoCoreError as err:
            raise StoreUnavailable(type(err).__name__) from err
        return _checked(answer["Body"], sha256, key)

    def keys(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):], item["LastModified"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


def _b64(hex_digest: str) -> str:
    import base64
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


def _checked(body: Any, sha256: str, key: str) -> Iterator[bytes]:
    """The object's bytes; a body that is not what was stored ends the download with an error instead of quietly
    (the client then sees a broken transfer, never a complete-looking wrong file)."""
    digest = hashlib.sha256()
    try:
        for chunk in body.iter_chunks(CHUNK):
            digest.update(chunk)
            yield chunk
    finally:
        body.close()
    if digest.hexdigest() != sha256:
        raise BlobMissing(key)


def from_settings(settings: Settings) -> DocumentStore:
    if settings.document_store == "disk":
        return DiskStore(settings.documents_dir)
    if settings.document_store == "s3":
        return S3Store.from_settings(settings)
    raise ConfigError(f"Ukendt dokumentlager: {settings.document_store}")
