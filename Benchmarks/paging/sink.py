"""A webhook receiver for the paging benchmark: records when each page arrived."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = open(sys.argv[2], "a", buffering=1)


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open, as real receivers do
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            page = json.loads(body)
            log.write(f"{time.time():.6f} {page['incident']['reference']} {page['level']}\n")
        except Exception:
            pass
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
