#!/usr/bin/env python3
"""A real SMTP server for paideia's tests (aiosmtpd): listens on 127.0.0.1 on a random port,
prints `PORT <n>` on stdout once it accepts connections, and writes each message it receives
to OUT_DIR as `<n>.eml` (the envelope's recipients first as `X-Sink-Rcpt:` lines), atomically
(a temporary name, then a rename; no fsync: the tests kill paideia, never this server). With
`--reject CODE`, it answers every DATA with CODE (for example 451 or 550) and stores nothing.
Runs until killed.

Usage: smtp_sink.py OUT_DIR [--reject CODE]
"""

import asyncio
import itertools
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, out_dir, reject):
        self.out_dir = out_dir
        self.reject = reject
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.reject:
            return f"{self.reject} rejected by the test server"
        n = next(self.counter)
        head = "".join(f"X-Sink-Rcpt: {r}\r\n" for r in envelope.rcpt_tos)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode()
        tmp = os.path.join(self.out_dir, f".{n}.tmp")
        with open(tmp, "wb") as f:
            f.write(head.encode() + data)
        os.rename(tmp, os.path.join(self.out_dir, f"{n:06}.eml"))
        return "250 OK"


async def main():
    out_dir = sys.argv[1]
    reject = None
    if "--reject" in sys.argv:
        reject = sys.argv[sys.argv.index("--reject") + 1]
    handler = Sink(out_dir, reject)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", decode_data=False),
        host="127.0.0.1",
        port=0,
    )
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
