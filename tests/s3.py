"""A real S3 server on 127.0.0.1 (moto's server mode) for the tests of shared storage
(YUSUAN_STORAGE_URL, yusuan.storage): a bucket, the variables that point s3fs at it, and
a client of the tests' own to list what the code put there."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

BUCKET = "yusuan-shared"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def local_s3() -> Iterator[dict[str, str]]:
    """A server on a free port with an empty BUCKET, stopped afterwards; yields the
    variables that point botocore (under s3fs) at it, as an operator sets them for MinIO
    or AWS."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "yusuan-test",
        "AWS_SECRET_ACCESS_KEY": "yusuan-test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    try:
        client = boto3.client(
            "s3",
            endpoint_url=env["AWS_ENDPOINT_URL"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_DEFAULT_REGION"],
        )
        client.create_bucket(Bucket=BUCKET)
        yield env
    finally:
        server.stop()


def objects(env: dict[str, str], prefix: str) -> list[str]:
    """The keys under `prefix` of BUCKET (without the prefix), listed by a client of its
    own."""
    import s3fs

    fs = s3fs.S3FileSystem(
        endpoint_url=env["AWS_ENDPOINT_URL"],
        key=env["AWS_ACCESS_KEY_ID"],
        secret=env["AWS_SECRET_ACCESS_KEY"],
        skip_instance_cache=True,
    )
    return [name.removeprefix(f"{BUCKET}/{prefix}/") for name in fs.find(f"{BUCKET}/{prefix}")]
