"""What the S3 integration tests share: a test case with an S3 client and bucket/object helpers,
the digests S3 and its clients compute (ETag, multipart ETag, the flexible checksums CRC32,
CRC32C, CRC64NVME, SHA1, SHA256) computed here independently of the server, SigV4-signed raw
requests (also aws-chunked bodies, signed chunk by chunk or unsigned with a trailing checksum),
clients that address buckets virtual-host style (bucket.localhost:PORT), and curl."""

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import socket
import struct
import subprocess
import tempfile
import urllib.parse
import xml.etree.ElementTree as ElementTree
import zlib
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from harness import AwsemuTestCase, queue_send_policy

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
MiB = 1024 * 1024
# The smallest part CompleteMultipartUpload accepts for every part but the last.
MIN_PART = 5 * MiB
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
# A key with every kind of character S3 keys may hold and URLs and XML treat specially.
AWKWARD_KEYS = [
    "plain.txt",
    "with space/and more spaces.txt",
    "plus+sign+key",
    "percent%20literal%",
    "double//slash//key",
    "/leading-slash",
    "trailing-slash/",
    "utf8/日本語/ключ/émoji-✓-🚀",
    "query?chars&amp=;#hash",
    "xml<special>&'\"chars",
    "tilde~and(parens)[brackets]{braces}!*@$,",
]


# --- digests -----------------------------------------------------------------------------------
def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def etag_of(data):
    """A single upload's ETag: the quoted MD5 of the body."""
    return f'"{md5_hex(data)}"'


def multipart_etag(parts):
    """A multipart object's ETag: the MD5 of the concatenated binary part MD5s, '-', the count."""
    digests = b"".join(hashlib.md5(part).digest() for part in parts)
    return f'"{hashlib.md5(digests).hexdigest()}-{len(parts)}"'


def _crc_table(polynomial, width):
    mask = (1 << width) - 1
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ polynomial if crc & 1 else crc >> 1
        table.append(crc & mask)
    return table


_CRC32C_TABLE = _crc_table(0x82F63B78, 32)
_CRC64NVME_TABLE = _crc_table(0x9A6C9329AC4BC9B5, 64)


def _reflected_crc(data, table, width):
    mask = (1 << width) - 1
    crc = mask
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ mask


def crc32_value(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def crc32c_value(data):
    """CRC-32C (Castagnoli), reflected, as S3 and RFC 3720 define it."""
    return _reflected_crc(data, _CRC32C_TABLE, 32)


def crc64nvme_value(data):
    """CRC-64/NVME (the Rocksoft polynomial, reflected), as S3 and the NVMe spec define it."""
    return _reflected_crc(data, _CRC64NVME_TABLE, 64)


def checksum_b64(algorithm, data):
    """The value of S3's x-amz-checksum-<algorithm> header for `data`: the big-endian digest in
    base64. Computed here (no awscrt needed), so the tests check the server, not botocore."""
    algorithm = algorithm.upper()
    if algorithm == "CRC32":
        raw = struct.pack(">I", crc32_value(data))
    elif algorithm == "CRC32C":
        raw = struct.pack(">I", crc32c_value(data))
    elif algorithm == "CRC64NVME":
        raw = struct.pack(">Q", crc64nvme_value(data))
    elif algorithm == "SHA1":
        raw = hashlib.sha1(data).digest()
    elif algorithm == "SHA256":
        raw = hashlib.sha256(data).digest()
    else:
        raise ValueError(algorithm)
    return base64.b64encode(raw).decode()


def random_bytes(size):
    return os.urandom(size)


def error_of(body):
    """An S3 REST-XML error body as a dict: Code, Message and the extra members (Key, BucketName,
    Resource, RequestId, ...)."""
    root = ElementTree.fromstring(body)
    assert root.tag == "Error", body
    return {child.tag: child.text for child in root}


def sequencer_key(sequencer):
    """S3 event sequencers are hex strings compared after left-padding to the same length."""
    return sequencer.rjust(64, "0")


# --- addressing --------------------------------------------------------------------------------
@contextlib.contextmanager
def localhost_subdomains_resolve():
    """Makes *.localhost resolve to 127.0.0.1 inside this process.

    RFC 6761 says localhost names are loopback, and curl, browsers and systemd-resolved
    (nss-myhostname) honour that, but this image's glibc resolves only the names in /etc/hosts
    ('hosts: files dns'), so bucket.localhost fails here with EAI_NONAME. The tests patch
    Python's resolver rather than the machine; the request still carries Host: bucket.localhost.
    """
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, bytes):
            host = host.decode()
        if isinstance(host, str) and host.lower().rstrip(".").endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    with mock.patch.object(socket, "getaddrinfo", getaddrinfo):
        yield


def endpoint_port(endpoint):
    return urllib.parse.urlsplit(endpoint).port


# --- the test case -----------------------------------------------------------------------------
class S3TestCase(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.s3 = self.server.client("s3")

    # --- clients ---------------------------------------------------------------------------
    def s3_client(self, key="test", secret="test", region="us-east-1", **config):
        """A boto3 S3 client with extra botocore Config (e.g. s3={'addressing_style': ...})."""
        return boto3.client("s3", endpoint_url=self.server.endpoint, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}, **config))

    def presigner(self, signature_version="s3v4", **config):
        """A client for presigned URLs. For a custom endpoint in us-east-1 boto3 presigns with
        SigV2 (AWSAccessKeyId/Signature/Expires) unless told 's3v4' (signature_version=None
        gives that default)."""
        if signature_version:
            config["signature_version"] = signature_version
        return self.s3_client(**config)

    def virtual_host_client(self, host="localhost"):
        """A client that puts the bucket in the host name: bucket.<host>:PORT. `host` is
        'localhost' or 's3.localhost'. Use inside localhost_subdomains_resolve()."""
        port = endpoint_port(self.server.endpoint)
        return boto3.client("s3", endpoint_url=f"http://{host}:{port}", region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(s3={"addressing_style": "virtual"},
                                          signature_version="s3v4",
                                          retries={"max_attempts": 1}))

    # --- buckets and objects ---------------------------------------------------------------
    def create_bucket(self, name="bucket", client=None, **request):
        (client or self.s3).create_bucket(Bucket=name, **request)
        return name

    def put(self, bucket, key, body=b"", client=None, **request):
        return (client or self.s3).put_object(Bucket=bucket, Key=key, Body=body, **request)

    def body(self, bucket, key, client=None, **request):
        return (client or self.s3).get_object(Bucket=bucket, Key=key, **request)["Body"].read()

    def keys(self, bucket, client=None, **request):
        """Every key in the bucket, in the order ListObjectsV2 gives them (all pages)."""
        keys, request = [], dict(request)
        while True:
            page = (client or self.s3).list_objects_v2(Bucket=bucket, **request)
            keys += [item["Key"] for item in page.get("Contents", [])]
            if not page["IsTruncated"]:
                return keys
            request["ContinuationToken"] = page["NextContinuationToken"]

    def account(self):
        return self.server.client("sts").get_caller_identity()["Account"]

    # --- errors ----------------------------------------------------------------------------
    def expect_error(self, code, status, call, *args, message=None, **request):
        """Calls `call`, which must fail with this S3 code and HTTP status; answers the error
        (the parsed <Error> members plus 'Headers', the response headers)."""
        response = self.failed_response(code, status, call, *args, message=message, **request)
        return dict(response["Error"], Headers=response["ResponseMetadata"]["HTTPHeaders"])

    def assertRawError(self, answer, code, status):
        """Checks a raw answer (status, headers, body) is an S3 XML error; answers its members."""
        got_status, headers, body = answer
        self.assertEqual(got_status, status, body)
        error = error_of(body)
        self.assertEqual(error.get("Code"), code, body)
        self.assertTrue(headers.get("x-amz-request-id"), headers)
        return error

    # --- raw requests ----------------------------------------------------------------------
    def signed_headers(self, method, url, body=b"", headers=None, payload_hash=None,
                       key="test", secret="test", region="us-east-1"):
        """The headers of a SigV4-signed S3 request (botocore's signer); `payload_hash` replaces
        the body's SHA256 (UNSIGNED-PAYLOAD, STREAMING-...). Answers (headers, signer context)."""
        request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
        signer = StreamingSigner(Credentials(key, secret), region, payload_hash)
        signer.add_auth(request)
        return dict(request.headers.items()), signer

    def raw(self, method, path, body=b"", headers=None, sign=True, host=None, payload_hash=None,
            key="test", secret="test", timeout=30):
        """One HTTP request to the server; `path` is already URL-encoded and may carry a query.
        Signed with SigV4 for service s3 unless sign=False; `host` replaces the Host header
        (virtual-host style) while the connection still goes to the server.
        Answers (status, headers with lower-case names, body bytes)."""
        split = urllib.parse.urlsplit(self.server.endpoint)
        authority = host or split.netloc
        headers = dict(headers or {})
        if sign:
            headers, _ = self.signed_headers(method, f"http://{authority}{path}", body, headers,
                                             payload_hash=payload_hash, key=key, secret=secret)
        headers.setdefault("Host", authority)
        connection = http.client.HTTPConnection(split.hostname, split.port, timeout=timeout)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            if body or method in ("PUT", "POST"):
                if not any(name.lower() in ("content-length", "transfer-encoding")
                           for name in headers):
                    connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body if body else None)
            response = connection.getresponse()
            answer = {}
            for name, value in response.getheaders():
                name = name.lower()
                answer[name] = f"{answer[name]}, {value}" if name in answer else value
            return response.status, answer, response.read()
        finally:
            connection.close()

    def open_upload(self, path, headers, sign=True, payload_hash="UNSIGNED-PAYLOAD"):
        """Sends a PUT's request line and headers (with the Content-Length the caller chose)
        and answers the socket, for the caller to send some or all of the body and close it."""
        split = urllib.parse.urlsplit(self.server.endpoint)
        headers = dict(headers)
        if sign:
            headers, _ = self.signed_headers("PUT", self.server.endpoint + path, b"", headers,
                                             payload_hash=payload_hash)
        headers.setdefault("Host", split.netloc)
        lines = [f"PUT {path} HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items()]
        sock = socket.create_connection((split.hostname, split.port), timeout=30)
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return sock

    def put_aws_chunked(self, bucket, key, data, chunk_size=64 * 1024, signed=True,
                        trailer_algorithm=None, trailer_value=None, tamper=False, key_id="test",
                        secret="test", extra_headers=None):
        """PutObject with Content-Encoding: aws-chunked, as the SDKs stream uploads:
        signed=True -> STREAMING-AWS4-HMAC-SHA256-PAYLOAD, every chunk signed with the previous
        signature (SigV4 streaming); signed=False -> STREAMING-UNSIGNED-PAYLOAD-TRAILER with the
        checksum `trailer_algorithm` sent after the last chunk. `tamper` flips a byte of the
        first chunk after signing. Answers (status, headers, body)."""
        path = f"/{bucket}/{urllib.parse.quote(key, safe='/~')}"
        chunks = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
        headers = {"Content-Encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data))}
        headers.update(extra_headers or {})
        if signed:
            payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
            encoded_length = sum(len(f"{len(c):x};chunk-signature=") + 64 + 2 + len(c) + 2
                                 for c in chunks)
        else:
            algorithm = (trailer_algorithm or "CRC32").lower()
            payload = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
            headers["x-amz-trailer"] = f"x-amz-checksum-{algorithm}"
            value = trailer_value or checksum_b64(algorithm, data)
            trailer = f"x-amz-checksum-{algorithm}:{value}\r\n\r\n".encode()
            encoded_length = sum(len(f"{len(c):x}\r\n") + len(c) + 2 for c in chunks[:-1])
            encoded_length += len(b"0\r\n") + len(trailer)
        headers["Content-Length"] = str(encoded_length)
        headers, signer = self.signed_headers("PUT", self.server.endpoint + path, b"", headers,
                                              payload_hash=payload, key=key_id, secret=secret)
        body = b""
        if signed:
            previous = headers["Authorization"].rsplit("Signature=", 1)[1]
            for chunk in chunks:
                previous = signer.chunk_signature(previous, chunk)
                body += f"{len(chunk):x};chunk-signature={previous}\r\n".encode() + chunk + b"\r\n"
        else:
            for chunk in chunks[:-1]:
                body += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            body += b"0\r\n" + trailer
        assert len(body) == encoded_length, (len(body), encoded_length)
        if tamper:
            start = body.index(b"\r\n") + 2
            body = body[:start] + bytes([body[start] ^ 1]) + body[start + 1:]
        return self.raw("PUT", path, body, headers, sign=False)

    # --- presigned URLs and curl -------------------------------------------------------------
    def curl(self, url, method="GET", data_file=None, headers=None, resolve=None):
        """Runs curl on a URL as given (--globoff, no re-encoding); answers (status, headers
        with lower-case names, body bytes)."""
        with tempfile.TemporaryDirectory(prefix="awsemu-curl-") as scratch:
            head_path, body_path = os.path.join(scratch, "head"), os.path.join(scratch, "body")
            command = ["curl", "-sS", "--globoff", "--path-as-is", "-X", method, "-D", head_path,
                       "-o", body_path, "-w", "%{http_code}", "--max-time", "30"]
            for name, value in (headers or {}).items():
                command += ["-H", f"{name}: {value}"]
            if data_file:
                command += ["--data-binary", f"@{data_file}"]
            if resolve:
                command += ["--resolve", resolve]
            result = subprocess.run(command + [url], capture_output=True, text=True, timeout=60)
            if result.returncode != 0:
                raise AssertionError(f"curl failed ({result.returncode}): {result.stderr}")
            answer = {}
            with open(head_path, "rb") as f:
                for line in f.read().decode("latin-1").split("\r\n")[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        answer[name.strip().lower()] = value.strip()
            with open(body_path, "rb") as f:
                return int(result.stdout), answer, f.read()

    def temp_file(self, data, suffix=".bin"):
        with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as f:
            f.write(data)
        self.addCleanup(os.unlink, f.name)
        return f.name


class StreamingSigner(botocore.auth.S3SigV4Auth):
    """botocore's S3 signer with a chosen x-amz-content-sha256 and the SigV4 streaming chunk
    signature (AWS4-HMAC-SHA256-PAYLOAD)."""

    def __init__(self, credentials, region, payload_hash=None):
        super().__init__(credentials, "s3", region)
        self._payload_hash = payload_hash

    def payload(self, request):
        return self._payload_hash or super().payload(request)

    def add_auth(self, request):
        super().add_auth(request)
        self.timestamp = request.context["timestamp"]

    def chunk_signature(self, previous, chunk):
        scope = f"{self.timestamp[:8]}/{self._region_name}/s3/aws4_request"
        string_to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", self.timestamp, scope, previous,
                                    EMPTY_SHA256, hashlib.sha256(chunk).hexdigest()])
        key = ("AWS4" + self.credentials.secret_key).encode()
        for part in (self.timestamp[:8], self._region_name, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def queue_policy_for_bucket(queue_arn, bucket):
    """The SQS queue policy AWS requires before S3 may send a bucket's events to the queue."""
    return queue_send_policy(queue_arn, "s3", f"arn:aws:s3:::{bucket}")

