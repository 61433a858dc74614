"""A real SMTP server for the email tests: aiosmtpd with STARTTLS, one .eml file per message.

Usage: smtp-sink.py PORT DIR CERT KEY   (prints "ready PORT" once listening; PORT 0 takes a free one)
"""
import errno
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller

port, folder, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class Store:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        with open(os.path.join(folder, f"{Store.count:05d}.eml"), "wb") as out:
            out.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            out.write(b"X-TLS: " + (b"yes" if session.ssl else b"no") + b"\r\n")
            out.write(envelope.original_content)
        return "250 Message accepted"


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A port picked at random was sometimes in use (by another test's connection), so PORT 0 asks the
# kernel for a free one, and asks again if another process takes it before the server binds.
for attempt in range(10):
    chosen = port or free_port()
    controller = Controller(Store(), hostname="127.0.0.1", port=chosen, tls_context=context, require_starttls=True)
    try:
        controller.start()
        break
    except OSError as error:
        if port or error.errno != errno.EADDRINUSE or attempt == 9:
            raise
print(f"ready {chosen}", flush=True)
while True:
    time.sleep(3600)
