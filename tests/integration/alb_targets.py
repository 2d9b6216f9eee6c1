"""HTTP servers the ALB tests put behind a load balancer: each counts the requests it serves
(health checks apart) and can be told to fail its health checks, answer slowly, hang, or answer
garbage."""

import json
import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Target:
    def __init__(self, name, host="127.0.0.1"):
        self.name = name
        self.health_status = 200
        self.served = 0
        self.health_checks = 0
        self.lock = threading.Lock()
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self, status, body, content_type="text/plain"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.headers.get("User-Agent") == "ELB-HealthChecker/2.0":
                    with target.lock:
                        target.health_checks += 1
                    self.answer(target.health_status, b"health")
                    return
                with target.lock:
                    target.served += 1
                if self.path.startswith("/slow"):
                    time.sleep(float(self.path.split("=")[-1]))
                elif self.path.startswith("/hang"):
                    time.sleep(30)
                    return
                elif self.path.startswith("/garbage"):
                    self.wfile.write(b"this is not HTTP\r\n\r\n")
                    self.close_connection = True
                    return
                if self.path.startswith("/headers"):
                    self.answer(200, json.dumps(dict(self.headers)).encode(), "application/json")
                else:
                    self.answer(200, f"{target.name} {self.path}".encode())

            def do_POST(self):
                with target.lock:
                    target.served += 1
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                self.answer(200, body, "application/octet-stream")

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.host = host
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class EchoUpgradeTarget:
    """A target that answers a WebSocket upgrade with 101 and then echoes whatever it gets (the
    frames are opaque bytes to a proxy)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.host = "127.0.0.1"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._talk, args=(connection,), daemon=True).start()

    def _talk(self, connection):
        with connection:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                head += chunk
            if b"upgrade: websocket" not in head.lower():  # a health check
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                                   b"Connection: close\r\n\r\n")
                return
            connection.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                               b"Connection: Upgrade\r\n\r\n")
            while True:
                data = connection.recv(4096)
                if not data:
                    return
                connection.sendall(data)

    def close(self):
        self.listener.close()


def free_port():
    """A port nothing listens on (as long as nobody takes it meanwhile)."""
    with socketserver.TCPServer(("127.0.0.1", 0), None) as server:
        return server.server_address[1]
