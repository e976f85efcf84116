"""The S3 backend against an S3-compatible server on loopback: the same upload, download and clean-up as on disk."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import timedelta
from io import BytesIO

import boto3
import pytest

from service import clock
from service.dokumenter import oprydning
from service.dokumenter.lager import S3Store, StoreUnavailable
from tests.dokumenter import files
from tests.support import receive


@pytest.fixture
def bucket() -> str:
    return f"dokumenter-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def settings(settings, s3_endpoint: str, bucket: str):  # noqa: ANN001, ANN201 - the app of this module uses S3
    return replace(settings, document_store="s3", s3_bucket=bucket, s3_endpoint_url=s3_endpoint,
                   s3_region="eu-north-1", s3_prefix="sagsflow/", s3_access_key_id="test", s3_secret_access_key="test")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_documents_round_trip_through_s3(app, api, s3_endpoint, bucket) -> None:  # noqa: ANN001
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-north-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    case_id = receive(api)["case_id"]
    content = files.xlsx()
    added = api.post(f"/api/cases/{case_id}/dokumenter", data={"fil": (BytesIO(content), "Budget.xlsx")},
                     content_type="multipart/form-data")
    assert added.status_code == 201, added.get_json()
    document = added.get_json()
    assert document["sha256"] == hashlib.sha256(content).hexdigest()

    stored = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"] for o in stored] == [f"sagsflow/{document['id'][:2]}/{document['id']}"]
    assert stored[0]["Size"] == len(content)
    download = api.get(document["url"], "teamleder1")
    assert download.status_code == 200 and download.get_data() == content
    assert download.headers["Content-Disposition"].startswith('attachment; filename="Budget.xlsx"')

    # An object no row names (its upload's commit failed) goes in the clean-up; the document's object stays.
    client.put_object(Bucket=bucket, Key="sagsflow/ab/efterladt", Body=b"%PDF-")
    store = app.extensions["sagsflow"]["document_store"]
    later = clock.now() + timedelta(days=400)  # the server stamps real time; the test's clock is frozen in March
    assert oprydning.clean(app.extensions["sagsflow"]["session_factory"], store, delete=True, now=later) == [
        "ab/efterladt", "1 filer uden dokument i lageret (s3) slettet."]
    assert [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]] == [stored[0]["Key"]]

    # The store gone (here: a bucket that does not exist) is StoreUnavailable: the API's 503 to retry.
    with pytest.raises(StoreUnavailable, match="NoSuchBucket"):
        S3Store(store.client, "findes-ikke").put("x", BytesIO(content))
