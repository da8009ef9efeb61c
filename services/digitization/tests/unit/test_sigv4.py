"""S3 request signing against AWS's published Signature Version 4 examples.

These examples are what an S3 server checks; no S3 server is run here, so the S3 backend
itself is verified only to this point (see the README).
"""

from __future__ import annotations

from datetime import UTC, datetime

from digitization.adapters.sigv4 import EMPTY_SHA256, Credentials, canonical_uri, sign


def test_s3_get_object_example_from_the_aws_documentation_signs_identically() -> None:
    headers = sign(
        "GET",
        "examplebucket.s3.amazonaws.com",
        "/test.txt",
        {"Range": "bytes=0-9"},
        EMPTY_SHA256,
        Credentials(
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1"
        ),
        datetime(2013, 5, 24, tzinfo=UTC),
    )
    assert headers["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


def test_generic_get_vanilla_example_of_the_sigv4_test_suite_signs_identically() -> None:
    headers = sign(
        "GET",
        "example.amazonaws.com",
        "/",
        {},
        EMPTY_SHA256,
        Credentials(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service"
        ),
        datetime(2015, 8, 30, 12, 36, tzinfo=UTC),
    )
    assert headers["authorization"].endswith(
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


def test_object_keys_are_percent_encoded_once_per_segment() -> None:
    assert canonical_uri("/bucket/a b/ả.pdf") == "/bucket/a%20b/%E1%BA%A3.pdf"
