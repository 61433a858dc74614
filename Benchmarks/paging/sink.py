"""A webhook receiver for the paging benchmark: records when each page arrived.

A bare asyncio HTTP/1.1 server (keep-alive, Content-Length bodies only): http.server tops out at a
few thousand requests a second, which would measure the receiver instead of Muster."""
import asyncio
import json
import sys
import time

log = open(sys.argv[2], "a", buffering=1 << 16)
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            try:
                page = json.loads(body)
                log.write(f"{time.time():.6f} {page['incident']['reference']} {page['level']}\n")
            except Exception:
                pass
            writer.write(OK)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        while True:
            await asyncio.sleep(0.5)
            log.flush()


asyncio.run(main())
