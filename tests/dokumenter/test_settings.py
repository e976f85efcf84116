"""The document store's settings are checked at start-up, with one Danish line."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings


@pytest.mark.parametrize(("env", "message"), [
    ({"SAGSFLOW_DOKUMENT_LAGER": "ftp"}, "SAGSFLOW_DOKUMENT_LAGER skal være disk eller s3"),
    ({"SAGSFLOW_DOKUMENT_LAGER": "s3"}, "SAGSFLOW_S3_BUCKET mangler"),
    ({"SAGSFLOW_DOKUMENT_MAKS_MB": "0"}, "SAGSFLOW_DOKUMENT_MAKS_MB skal være mellem"),
])
def test_wrong_document_settings_stop_start_up(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env).check()


def test_document_settings_are_read() -> None:
    settings = Settings.from_env({"SAGSFLOW_DOKUMENT_LAGER": "S3", "SAGSFLOW_S3_BUCKET": "sager",
                                  "SAGSFLOW_DOKUMENT_MAKS_MB": "10"})
    settings.check()
    assert (settings.document_store, settings.s3_bucket, settings.document_max_bytes) == ("s3", "sager", 10 << 20)
    assert Settings.from_env({}).document_max_bytes == 25 << 20
