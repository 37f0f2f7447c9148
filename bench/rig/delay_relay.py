#!/usr/bin/env python3
"""A TCP relay that delays every byte by a fixed time in each direction: the round-trip latency
of a network, on loopback (tc netem is not available on these machines).

    delay_relay.py LISTEN_PORT TARGET_PORT ONE_WAY_MS

Data read from one side is written to the other ONE_WAY_MS later, in order; nothing limits the
bandwidth. Listens on 127.0.0.1 only and connects to 127.0.0.1 only. Runs until killed.
"""
import asyncio
import sys
import time


async def pipe(reader, writer, delay_s):
    queue = asyncio.Queue()

    async def read():
        try:
            while True:
                data = await reader.read(1 << 16)
                await queue.put((time.monotonic() + delay_s, data))
                if not data:
                    return
        except (ConnectionError, asyncio.CancelledError):
            await queue.put((0, b""))

    async def write():
        try:
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    writer.close()
                    return
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            return

    await asyncio.gather(read(), write())


async def serve(listen_port, target_port, delay_s):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer, delay_s),
                             pipe(server_reader, client_writer, delay_s), return_exceptions=True)

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000.0))
