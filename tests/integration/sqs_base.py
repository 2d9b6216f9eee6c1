"""What the SQS integration tests share: a test case with an SQS client and queue helpers, and
the digests clients verify (MD5OfMessageBody, MD5OfMessageAttributes,
MD5OfMessageSystemAttributes) computed the way AWS documents them."""

import hashlib
import json
import struct
import urllib.parse
import xml.etree.ElementTree as ElementTree

from botocore.exceptions import ClientError

from harness import AwsemuTestCase, wait_until

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# SQS's JSON protocol is query-compatible: the x-amzn-query-error header carries the query
# protocol's code, and botocore reports that one as Error.Code (the JSON __type, QueueDoesNotExist,
# becomes Error.QueryErrorCode).
NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue"
# AWS's service model (Smithy, aws/api-models-aws sqs-2012-11-05.json) gives ReceiptHandleIsInvalid
# httpError 404 and awsQueryError httpResponseCode 404; botocore's JSON model carries no status.
RECEIPT_HANDLE_INVALID_STATUS = 404
FORM = "application/x-www-form-urlencoded; charset=utf-8"
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def md5_hex(data):
    return hashlib.md5(data.encode() if isinstance(data, str) else data).hexdigest()


def md5_of_attributes(attributes):
    """MD5OfMessageAttributes as AWS documents it: the attributes sorted by name, each encoded as
    name, data type, transport type (1 string/number, 2 binary) and value, every length-prefixed
    field a 4-byte big-endian length followed by the UTF-8 bytes."""
    def field(data):
        return struct.pack(">I", len(data)) + data

    encoded = b""
    for name in sorted(attributes):
        value = attributes[name]
        encoded += field(name.encode()) + field(value["DataType"].encode())
        if value["DataType"].startswith("Binary"):
            encoded += b"\x02" + field(value["BinaryValue"])
        else:
            encoded += b"\x01" + field(value["StringValue"].encode())
    return hashlib.md5(encoded).hexdigest()


def account_of(queue_url):
    """A queue URL is <endpoint>/<account>/<name>."""
    return queue_url.rstrip("/").split("/")[-2]


class SqsTestCase(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.sqs = self.server.client("sqs")

    # --- queues ----------------------------------------------------------------------------
    def create_queue(self, name, tags=None, client=None, **attributes):
        request = {"QueueName": name}
        if attributes:
            request["Attributes"] = {key: str(value) for key, value in attributes.items()}
        if tags:
            request["tags"] = tags
        return (client or self.sqs).create_queue(**request)["QueueUrl"]

    def create_fifo_queue(self, name, **attributes):
        return self.create_queue(name, FifoQueue="true", **attributes)

    def attributes(self, url, *names):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"]
                                             ).get("Attributes", {})

    def queue_arn(self, url):
        return self.attributes(url, "QueueArn")["QueueArn"]

    def counts(self, url):
        """(visible, in flight, delayed), as the Approximate* attributes tell."""
        got = self.attributes(url, "ApproximateNumberOfMessages",
                              "ApproximateNumberOfMessagesNotVisible",
                              "ApproximateNumberOfMessagesDelayed")
        return (int(got["ApproximateNumberOfMessages"]),
                int(got["ApproximateNumberOfMessagesNotVisible"]),
                int(got["ApproximateNumberOfMessagesDelayed"]))

    # --- messages --------------------------------------------------------------------------
    def receive(self, url, client=None, **request):
        return (client or self.sqs).receive_message(QueueUrl=url, **request).get("Messages", [])

    def receive_one(self, url, **request):
        messages = self.receive(url, **request)
        self.assertEqual(len(messages), 1, messages)
        return messages[0]

    def receive_until(self, url, count, timeout=10.0, **request):
        """Receives until `count` messages came back (a standard queue may answer a short poll
        with fewer messages than it has)."""
        received = []

        def enough():
            received.extend(self.receive(url, MaxNumberOfMessages=10, **request))
            return len(received) >= count

        wait_until(enough, timeout=timeout, interval=0.02,
                   message=f"{count} messages from {url} (got {len(received)})")
        return received

    def wait_for_counts(self, url, expected, timeout=10.0):
        wait_until(lambda: self.counts(url) == expected, timeout=timeout, interval=0.02,
                   message=f"counts {expected} on {url} (last {self.counts(url)})")

    def raw(self, operation, body, headers=None):
        """One AWS JSON 1.0 request as bytes on the wire; answers (status, headers, body)."""
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        all_headers = {
            "X-Amz-Target": "AmazonSQS." + operation,
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/"
                             "aws4_request, SignedHeaders=host;x-amz-date, Signature=0000",
            "X-Amz-Date": "20240101T000000Z",
        }
        all_headers.update(headers or {})
        return self.server.http("POST", "/", body.encode() if isinstance(body, str) else body,
                                all_headers)

    def query(self, path="/", method="POST", **params):
        """One query-protocol request: the form in a POST's body, or in a GET's query string.
        Answers (status, headers, body)."""
        params.setdefault("Version", "2012-11-05")
        form = urllib.parse.urlencode(params)
        headers = {"Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/"
                                    "aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
                   "X-Amz-Date": "20240101T000000Z"}
        if method == "GET":
            return self.server.http("GET", path + "?" + form, None, headers)
        headers["Content-Type"] = FORM
        return self.server.http("POST", path, form.encode(), headers)

    @staticmethod
    def query_text(body, path):
        """The text of the element at `path` ("Error/Code") below a query answer's root."""
        node = ElementTree.fromstring(body)
        for tag in path.split("/"):
            node = next((child for child in node if child.tag.endswith("}" + tag)
                         or child.tag == tag), None)
            if node is None:
                return None
        return node.text

    def assertQueryError(self, answer, code, status=400):
        got_status, _, body = answer
        self.assertEqual(got_status, status, body)
        self.assertTrue(ElementTree.fromstring(body).tag.endswith("ErrorResponse"), body)
        self.assertEqual(self.query_text(body, "Error/Code"), code, body)
        self.assertEqual(self.query_text(body, "Error/Type"), "Sender", body)
        self.assertTrue(self.query_text(body, "RequestId"), body)
        return self.query_text(body, "Error/Message")

    # --- errors ----------------------------------------------------------------------------
    def expect_error(self, code, status, call, *args, message=None, query_code=None, **request):
        """Calls `call`, which must fail with this AWS code and HTTP status; answers the error."""
        response = self.failed_response(code, status, call, *args, message=message, **request)
        if query_code is not None:
            self.assertEqual(response["Error"].get("QueryErrorCode"), query_code, response)
        return response["Error"]
