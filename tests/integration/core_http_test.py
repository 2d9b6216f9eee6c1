"""HTTP/1.1 as clients really speak it, over raw sockets and http.client."""

import http.client
import json
import socket
import threading
import unittest
import uuid

from harness import AwsemuServer, AwsemuTestCase, wait_until

JSON_11 = "application/x-amz-json-1.1"


def secretsmanager_headers(operation, body):
    return {"X-Amz-Target": f"secretsmanager.{operation}", "Content-Type": JSON_11,
            "Content-Length": str(len(body))}


def create_secret_body(name, value="v"):
    """A CreateSecret body as a raw client must send it (SDKs add the token themselves)."""
    return json.dumps({"Name": name, "SecretString": value,
                       "ClientRequestToken": str(uuid.uuid4())}).encode()


def raw_request(method, path, headers, body=b""):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def tcp_send_queue(local_port, remote_port):
    """Bytes a loopback TCP connection holds unsent or unacknowledged (/proc/net/tcp)."""
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if (int(fields[1].split(":")[1], 16) == local_port
                    and int(fields[2].split(":")[1], 16) == remote_port):
                return int(fields[4].split(":")[0], 16)
    return 0


class RawConnection:
    """A socket with a read buffer, so responses that arrive together are read one by one."""

    def __init__(self, port, receive_buffer=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        if receive_buffer:  # before connecting: the window it announces depends on it
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.connect(("127.0.0.1", port))
        self.buffer = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def finish_sending(self):
        self.sock.shutdown(socket.SHUT_WR)

    def sendall(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed; unread bytes: {self.buffer!r}")
        self.buffer += chunk

    def read_head(self):
        """The bytes of one response head, without the blank line."""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        return head

    def read_response(self, head_request=False):
        """One response with a Content-Length: (status, headers with lower-case names, body)."""
        lines = self.read_head().decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_request else int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed_by_peer(self):
        """True when the server has closed the connection and nothing is left unread."""
        try:
            return self.buffer == b"" and self.sock.recv(1) == b""
        except ConnectionResetError:
            return True


class HttpTest(AwsemuTestCase):
    def connect(self, receive_buffer=None):
        return RawConnection(self.server.port, receive_buffer)

    def assertStillServing(self):
        status, _, body = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "running")

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            connection.request("GET", "/_awsemu/health")
            first = connection.getresponse()
            self.assertEqual(first.status, 200)
            first.read()
            sock = connection.sock
            for i in range(5):
                body = create_secret_body(f"kept-alive-{i}")
                connection.request("POST", "/", body, secretsmanager_headers("CreateSecret", body))
                response = connection.getresponse()
                answer = response.read()
                self.assertEqual(response.status, 200, answer)
                self.assertEqual(json.loads(answer)["Name"], f"kept-alive-{i}")
                self.assertIs(connection.sock, sock, "the connection was reopened")
            body = b"{}"
            connection.request("POST", "/", body, secretsmanager_headers("ListSecrets", body))
            listed = json.loads(connection.getresponse().read())
            self.assertEqual(len(listed["SecretList"]), 5)
            self.assertIs(connection.sock, sock)
        finally:
            connection.close()

    def test_pipelined_requests_are_answered_in_order(self):
        with self.connect() as sock:
            bodies = [create_secret_body(f"piped-{i}")
                      for i in range(3)]
            sock.sendall(b"".join(raw_request("POST", "/", secretsmanager_headers("CreateSecret", b), b)
                                  for b in bodies))
            for i in range(3):
                status, _, body = sock.read_response()
                self.assertEqual(status, 200)
                self.assertEqual(json.loads(body)["Name"], f"piped-{i}")

    def test_pipelined_answers_to_a_client_that_stops_reading_arrive_whole_and_in_order(self):
        # About 7 MB of answers (60 KB each) to a client that reads nothing until the server's
        # send buffer for it stays full: the sends run out of room (an answer is then finished
        # by the event loop as the client makes room), and still every answer arrives whole,
        # one after another.
        client = self.server.client("secretsmanager")
        names = ["large-x", "large-y", "large-z"]
        for name in names:
            client.create_secret(Name=name, SecretString=name[-1] * 60000)
        order = [names[i % len(names)] for i in range(120)]
        requests = [json.dumps({"SecretId": name}).encode() for name in order]
        with self.connect(receive_buffer=4096) as sock:
            sock.sendall(b"".join(
                raw_request("POST", "/", secretsmanager_headers("GetSecretValue", r), r)
                for r in requests))
            server_end = (self.server.port, sock.sock.getsockname()[1])
            readings = []

            def send_queue_full():
                readings.append(tcp_send_queue(*server_end))
                return len(readings) > 5 and readings[-1] > 0 and len(set(readings[-5:])) == 1

            wait_until(send_queue_full, timeout=20, interval=0.05,
                       message="the server's send queue to stay full")
            for name in order:
                status, _, body = sock.read_response()
                self.assertEqual(status, 200)
                answer = json.loads(body)
                self.assertEqual(answer["Name"], name)
                self.assertEqual(answer["SecretString"], name[-1] * 60000)
        self.assertStillServing()

    def test_chunked_request_body_is_read_whole(self):
        payload = create_secret_body("chunked", "x" * 5000)
        pieces = [payload[i:i + 1000] for i in range(0, len(payload), 1000)]
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            connection.request("POST", "/", body=iter(pieces), encode_chunked=True,
                               headers={"X-Amz-Target": "secretsmanager.CreateSecret",
                                        "Content-Type": JSON_11, "Transfer-Encoding": "chunked"})
            response = connection.getresponse()
            answer = response.read()
            self.assertEqual(response.status, 200, answer)
        finally:
            connection.close()
        value = self.server.client("secretsmanager").get_secret_value(SecretId="chunked")
        self.assertEqual(value["SecretString"], "x" * 5000)

    def test_expect_100_continue_gets_continue_then_the_answer(self):
        body = create_secret_body("continued")
        headers = secretsmanager_headers("CreateSecret", body)
        headers["Expect"] = "100-continue"
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", headers))
            interim = sock.read_head()
            self.assertTrue(interim.startswith(b"HTTP/1.1 100 Continue"), interim)
            # Nothing more comes until the body is sent.
            self.assertEqual(sock.buffer, b"")
            sock.sendall(body)
            status, _, answer = sock.read_response()
        self.assertEqual(status, 200, answer)
        self.assertEqual(json.loads(answer)["Name"], "continued")

    def test_request_sent_a_few_bytes_at_a_time_is_served(self):
        body = create_secret_body("trickled")
        request = raw_request("POST", "/", secretsmanager_headers("CreateSecret", body), body)
        with self.connect() as sock:
            sock.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(0, len(request), 7):
                sock.sendall(request[i:i + 7])
            status, _, answer = sock.read_response()
        self.assertEqual(status, 200, answer)
        self.assertEqual(json.loads(answer)["Name"], "trickled")

    def test_connection_close_is_answered_then_closed(self):
        body = b"{}"
        headers = secretsmanager_headers("ListSecrets", body)
        headers["Connection"] = "close"
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", headers, body))
            status, response_headers, _ = sock.read_response()
            self.assertEqual(status, 200)
            self.assertEqual(response_headers["connection"], "close")
            self.assertTrue(sock.closed_by_peer())

    def test_a_head_longer_than_the_read_buffer_is_served(self):
        body = create_secret_body("long-head")
        headers = secretsmanager_headers("CreateSecret", body)
        for i in range(40):
            headers[f"X-Filler-{i}"] = "f" * 1000  # 40 KB of head, under the 64 KiB limit
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", headers, body))
            status, _, answer = sock.read_response()
        self.assertEqual(status, 200, answer)
        self.assertEqual(json.loads(answer)["Name"], "long-head")

    def test_pipelined_plain_chunked_and_http_1_0_requests_share_a_connection(self):
        # Requests of the usual shape and those only Beast reads (a chunked body, HTTP/1.0),
        # all sent at once: each one's bytes are taken from what the others left buffered.
        first, third = create_secret_body("mixed-1"), create_secret_body("mixed-3")
        second = create_secret_body("mixed-2")
        chunked_headers = {"X-Amz-Target": "secretsmanager.CreateSecret", "Content-Type": JSON_11,
                           "Transfer-Encoding": "chunked"}
        chunked = (raw_request("POST", "/", chunked_headers)
                   + b"%x\r\n" % len(second) + second + b"\r\n0\r\n\r\n")
        http_1_0 = raw_request("POST", "/", secretsmanager_headers("CreateSecret", third),
                               third).replace(b"HTTP/1.1", b"HTTP/1.0", 1)
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", secretsmanager_headers("CreateSecret", first),
                                     first) + chunked + http_1_0)
            names = []
            for _ in range(3):
                status, _, answer = sock.read_response()
                self.assertEqual(status, 200, answer)
                names.append(json.loads(answer)["Name"])
            self.assertEqual(names, ["mixed-1", "mixed-2", "mixed-3"])
            self.assertTrue(sock.closed_by_peer())  # HTTP/1.0 without keep-alive

    def test_head_health_answers_headers_only(self):
        _, _, get_body = self.server.http("GET", "/_awsemu/health")
        with self.connect() as sock:
            sock.sendall(raw_request("HEAD", "/_awsemu/health", {}))
            status, headers, rest = sock.read_response(head_request=True)
            self.assertEqual(status, 200)
            self.assertEqual(headers["content-length"], str(len(get_body)))
            self.assertEqual(rest, b"")
            # The connection is still usable: no body bytes were left in it.
            sock.sendall(raw_request("GET", "/_awsemu/health", {}))
            status, _, body = sock.read_response()
            self.assertEqual(status, 200)
            self.assertEqual(body, get_body)

    def test_garbage_bytes_get_400_and_the_server_keeps_serving(self):
        for garbage in (b"\x00\x01\x02garbage\xff\r\n\r\n", b"GET\r\n\r\n",
                        b"GET / HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
                        b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"):
            with self.subTest(garbage=garbage):
                with self.connect() as sock:
                    sock.sendall(garbage)
                    status, headers, body = sock.read_response()
                    self.assertEqual(status, 400, body)
                    self.assertIn(b"<Code>BadRequest</Code>", body)
                    self.assertTrue(sock.closed_by_peer())
                self.assertStillServing()

    def test_truncated_body_then_close_leaves_the_server_serving(self):
        body = create_secret_body("truncated")
        headers = secretsmanager_headers("CreateSecret", body)
        headers["Content-Length"] = str(len(body) + 100)
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", headers, body))
            sock.finish_sending()
            self.assertTrue(sock.closed_by_peer())
        self.assertStillServing()
        names = [s["Name"] for s in self.server.client("secretsmanager").list_secrets()["SecretList"]]
        self.assertNotIn("truncated", names)

    def test_many_concurrent_connections_are_all_served(self):
        count = 200
        sockets = [self.connect() for _ in range(count)]
        try:
            # Every connection is open before any request is sent.
            for i, sock in enumerate(sockets):
                if i % 2:
                    sock.sendall(raw_request("GET", "/_awsemu/health", {}))
                else:
                    body = create_secret_body(f"concurrent-{i}")
                    sock.sendall(raw_request("POST", "/", secretsmanager_headers("CreateSecret", body), body))
            statuses = [sock.read_response()[0] for sock in sockets]
        finally:
            for sock in sockets:
                sock.close()
        self.assertEqual(statuses, [200] * count)
        listed = self.server.client("secretsmanager").list_secrets(MaxResults=100)
        total = len(listed["SecretList"])
        while "NextToken" in listed:
            listed = self.server.client("secretsmanager").list_secrets(MaxResults=100,
                                                                         NextToken=listed["NextToken"])
            total += len(listed["SecretList"])
        self.assertEqual(total, count // 2)

    def test_many_threads_with_real_clients_are_all_served(self):
        errors = []
        barrier = threading.Barrier(50)

        def worker(i):
            try:
                client = self.server.client("sts", key=f"{100000000000 + i}")
                barrier.wait(timeout=30)
                account = client.get_caller_identity()["Account"]
                if account != str(100000000000 + i):
                    errors.append(f"worker {i} got account {account}")
            except Exception as error:  # noqa: BLE001 - collected and reported below
                errors.append(f"worker {i}: {error!r}")

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])


class BodyLimitTest(AwsemuTestCase):
    server_args = ("--max-body-size", "2048")

    def connect(self):
        return RawConnection(self.server.port)

    def test_json_body_over_the_limit_is_413_in_json_and_closes_the_connection(self):
        body = create_secret_body("too-big", "x" * 4096)
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", secretsmanager_headers("CreateSecret", body), body))
            status, headers, answer = sock.read_response()
            self.assertEqual(status, 413)
            self.assertTrue(headers["content-type"].startswith(JSON_11))
            error = json.loads(answer)
            self.assertEqual(error["__type"], "RequestEntityTooLarge")
            self.assertIn("2048", error["message"])
            self.assertTrue(headers.get("x-amzn-requestid"))
            self.assertTrue(sock.closed_by_peer())
        status, _, _ = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)
        names = [s["Name"] for s in self.server.client("secretsmanager").list_secrets()["SecretList"]]
        self.assertNotIn("too-big", names)

    def test_chunked_body_over_the_limit_is_413(self):
        body = create_secret_body("too-big-chunked", "x" * 4096)
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 512]), body[i:i + 512])
                           for i in range(0, len(body), 512)) + b"0\r\n\r\n"
        headers = {"X-Amz-Target": "secretsmanager.CreateSecret", "Content-Type": JSON_11,
                   "Transfer-Encoding": "chunked"}
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", headers, chunked))
            status, _, answer = sock.read_response()
        self.assertEqual(status, 413)
        self.assertEqual(json.loads(answer)["__type"], "RequestEntityTooLarge")
        status, _, _ = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)

    def test_query_body_over_the_limit_is_413_in_xml(self):
        body = b"Action=AssumeRole&Version=2011-06-15&RoleSessionName=" + b"s" * 4096
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Content-Length": str(len(body)),
                   "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/"
                                    "aws4_request, SignedHeaders=host, Signature=00"}
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", headers, body))
            status, _, answer = sock.read_response()
        self.assertEqual(status, 413)
        self.assertIn(b"<Code>RequestEntityTooLarge</Code>", answer)

    def test_body_at_the_limit_is_accepted(self):
        filler = 2048 - len(create_secret_body("just-fits", ""))
        body = create_secret_body("just-fits", "x" * filler)
        self.assertEqual(len(body), 2048)
        with self.connect() as sock:
            sock.sendall(raw_request("POST", "/", secretsmanager_headers("CreateSecret", body), body))
            status, _, answer = sock.read_response()
        self.assertEqual(status, 200, answer)

    def test_the_server_keeps_serving_after_many_refusals(self):
        body = b"{" + b" " * 3000 + b"}"
        for _ in range(20):
            with self.connect() as sock:
                sock.sendall(raw_request("POST", "/", secretsmanager_headers("ListSecrets", body), body))
                self.assertEqual(sock.read_response()[0], 413)
        self.assertEqual(self.server.client("secretsmanager").list_secrets()["SecretList"], [])


if __name__ == "__main__":
    unittest.main()
