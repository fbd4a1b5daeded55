"""A fault-injecting HTTP proxy in front of a real service, as a load balancer in front of OpenStack
APIs behaves when a backend restarts: the first N requests get `503 Service Unavailable`, every later
one is forwarded to the real service and its answer passed back unchanged.

Usage: python3 fault_proxy.py UPSTREAM FAILURES   (prints the port it listens on, then serves)
"""
import http.server
import sys
import urllib.error
import urllib.request

UPSTREAM, FAILURES = sys.argv[1].rstrip("/"), int(sys.argv[2])
seen = 0


class Proxy(http.server.BaseHTTPRequestHandler):
    def relay(self):
        global seen
        seen += 1
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if seen <= FAILURES:
            payload = b"503 Service Unavailable: the backend is restarting\n"
            self.send_response(503)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        request = urllib.request.Request(UPSTREAM + self.path, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request) as response:
                status, answer, reply_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, answer, reply_headers = error.code, error.read(), error.headers
        self.send_response(status)
        for key, value in reply_headers.items():
            if key.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = relay

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print(server.server_address[1], flush=True)
server.serve_forever()
