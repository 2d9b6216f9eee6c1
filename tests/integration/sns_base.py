"""What the SNS integration tests share: a test case with SNS and SQS clients and helpers, an
HTTP subscriber run by the test, and SNS signature verification done the standard way (fetch
the certificate at SigningCertURL, rebuild the string to sign, check RSA-SHA1/SHA256)."""

import base64
import datetime
import json
import os
import ssl
import tempfile
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from harness import wait_until
from sqs_base import SqsTestCase

NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn",
                       "Type"]


def string_to_sign(message):
    fields = NOTIFICATION_FIELDS if message["Type"] == "Notification" else CONFIRMATION_FIELDS
    return "".join(f"{name}\n{message[name]}\n" for name in fields if name in message).encode()


def verify_signature(message):
    """Raises cryptography's InvalidSignature unless the message is signed by the key whose
    certificate its SigningCertURL serves."""
    with urllib.request.urlopen(message["SigningCertURL"], timeout=10) as response:
        certificate = x509.load_pem_x509_certificate(response.read())
    digest = hashes.SHA256() if message["SignatureVersion"] == "2" else hashes.SHA1()
    certificate.public_key().verify(base64.b64decode(message["Signature"]),
                                    string_to_sign(message), padding.PKCS1v15(), digest)


def wait_confirmed(sns, subscription_arn):
    """Waits until the subscription is confirmed: the subscriber records the
    SubscriptionConfirmation before it visits the SubscribeURL, so seeing that request does
    not mean a Publish will reach it yet."""
    wait_until(lambda: sns.get_subscription_attributes(SubscriptionArn=subscription_arn)[
        "Attributes"]["PendingConfirmation"] == "false",
        message=f"{subscription_arn} to be confirmed")


def self_signed_tls_context():
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    with tempfile.TemporaryDirectory() as scratch:
        cert_path = os.path.join(scratch, "cert.pem")
        key_path = os.path.join(scratch, "key.pem")
        with open(cert_path, "wb") as f:
            f.write(certificate.public_bytes(serialization.Encoding.PEM))
        with open(key_path, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
    return context


class HttpSubscriber:
    """An HTTP endpoint in the test: records every request; answers `status` (a number, or a
    function of the request number) and, with confirm=True, visits the SubscribeURL of each
    SubscriptionConfirmation it gets, with `reply` as the body. tls=True serves HTTPS with a
    self-signed certificate."""

    def __init__(self, status=200, confirm=True, delay=0.0, tls=False, reply=b""):
        self.requests = []
        self.status = status
        self.confirm = confirm
        self.delay = delay
        self.lock = threading.Lock()
        subscriber = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with subscriber.lock:
                    subscriber.requests.append((dict(self.headers), body.decode()))
                    number = len(subscriber.requests)
                if subscriber.delay:
                    threading.Event().wait(subscriber.delay)
                status = subscriber.status(number) if callable(subscriber.status) \
                    else subscriber.status
                if (subscriber.confirm and
                        self.headers.get("x-amz-sns-message-type") == "SubscriptionConfirmation"):
                    url = json.loads(body)["SubscribeURL"]
                    with urllib.request.urlopen(url, timeout=10) as response:
                        response.read()
                    status = 200
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                try:
                    self.wfile.write(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # awsemu reads the status line and headers only

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.scheme = "https" if tls else "http"
        if tls:
            self.server.socket = self_signed_tls_context().wrap_socket(self.server.socket,
                                                                       server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}/sns"

    def of_type(self, message_type):
        with self.lock:
            return [(headers, body) for headers, body in self.requests
                    if headers.get("x-amz-sns-message-type") == message_type]

    def wait_for(self, message_type, count, timeout=10.0):
        return wait_until(lambda: len(self.of_type(message_type)) >= count and
                          self.of_type(message_type), timeout=timeout,
                          message=f"{count} {message_type} requests (got "
                                  f"{len(self.of_type(message_type))})")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SnsTestCase(SqsTestCase):

    def setUp(self):
        super().setUp()
        self.sns = self.server.client("sns")

    def create_topic(self, name, **attributes):
        request = {"Name": name}
        if attributes:
            request["Attributes"] = {key: str(value) for key, value in attributes.items()}
        return self.sns.create_topic(**request)["TopicArn"]

    def subscribe_queue(self, topic_arn, queue_url, **attributes):
        """Subscribes the queue; attributes as strings (dicts become JSON)."""
        request = {"TopicArn": topic_arn, "Protocol": "sqs",
                   "Endpoint": self.queue_arn(queue_url)}
        if attributes:
            request["Attributes"] = {key: json.dumps(value) if isinstance(value, dict) else
                                     str(value) for key, value in attributes.items()}
        return self.sns.subscribe(**request)["SubscriptionArn"]

    def bodies(self, queue_url, count, timeout=10.0):
        return [message["Body"] for message in self.receive_until(queue_url, count, timeout)]

    def assert_empty(self, queue_url):
        self.assertEqual(self.receive(queue_url, WaitTimeSeconds=0, MaxNumberOfMessages=10), [])

    def http_subscriber(self, **options):
        subscriber = HttpSubscriber(**options)
        self.addCleanup(subscriber.close)
        return subscriber
