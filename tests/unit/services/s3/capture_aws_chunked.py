#!/usr/bin/env python3
"""Captures real boto3 upload bodies as fixtures for aws_chunked_decoder_test.cpp.

    python3 tests/unit/services/s3/capture_aws_chunked.py

botocore sends `Content-Encoding: aws-chunked` with a trailing checksum
(STREAMING-UNSIGNED-PAYLOAD-TRAILER) only over TLS (botocore/httpchecksum.py:
"we'll only use trailers over TLS"), so this starts a throwaway HTTPS server on
127.0.0.1 with a self-signed certificate (made with the openssl CLI), points boto3
at it with verify=False, and records each request's body after HTTP/1.1
Transfer-Encoding: chunked is undone, i.e. exactly what the S3 service will be
handed. Each fixture is written as NAME.body (raw bytes) and NAME.headers (the
request headers that matter to the decoder, one "name: value" a line). The
server answers 200 with an ETag and no checksum headers, so boto3 checks nothing.
"""
import http.server
import os
import pathlib
import ssl
import subprocess
import tempfile
import threading

import boto3
from botocore.config import Config

HERE = pathlib.Path(__file__).resolve().parent / "fixtures"
KEEP = ("content-encoding", "transfer-encoding", "content-length", "x-amz-content-sha256",
        "x-amz-trailer", "x-amz-decoded-content-length", "x-amz-sdk-checksum-algorithm")
captured = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_PUT(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower() in KEEP}
        captured.append((headers, bytes(body)))
        self.send_response(200)
        self.send_header("ETag", '"0123456789abcdef0123456789abcdef"')
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()

        s3 = boto3.client("s3", endpoint_url=f"https://127.0.0.1:{server.server_port}",
                          region_name="us-east-1", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                          aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                          verify=False, config=Config(s3={"addressing_style": "path"}))
        import urllib3
        urllib3.disable_warnings()

        uploads = [
            ("boto3_put_hello_crc32", lambda: s3.put_object(Bucket="b", Key="k", Body=b"Hello world")),
            ("boto3_put_empty_crc32", lambda: s3.put_object(Bucket="b", Key="k", Body=b"")),
            ("boto3_put_sha256", lambda: s3.put_object(
                Bucket="b", Key="k", Body=bytes(range(256)) * 40, ChecksumAlgorithm="SHA256")),
            ("boto3_put_sha1", lambda: s3.put_object(
                Bucket="b", Key="k", Body=b"The quick brown fox\n" * 50, ChecksumAlgorithm="SHA1")),
            ("boto3_upload_part_crc32", lambda: s3.upload_part(
                Bucket="b", Key="k", UploadId="u", PartNumber=1, Body=b"part one " * 1000)),
        ]
        path = os.path.join(tmp, "upload.txt")
        with open(path, "wb") as f:
            f.write(b"uploaded with upload_file\n" * 300)
        uploads.append(("boto3_upload_file_crc32", lambda: s3.upload_file(path, "b", "k")))

        for name, upload in uploads:
            captured.clear()
            upload()
            headers, body = captured[-1]
            (HERE / f"{name}.body").write_bytes(body)
            (HERE / f"{name}.headers").write_text(
                "".join(f"{k}: {headers[k]}\n" for k in sorted(headers)))
            print(name, len(body), headers)
        server.shutdown()


if __name__ == "__main__":
    main()
