"""An independent WebSocket server (Python `websockets` from Debian) for the
technique tests: a second implementation that our client must agree with.

Prints the port it listens on, then serves until stdin closes.
  /echo          echoes text and binary
  /headers       sends one JSON text: the request headers and the chosen subprotocol
  /close/<code>  closes with that code and reason "bye"
  /ping          sends a ping with payload "are-you-there", then echoes
  /reject        answers the handshake with 401 and a body
"""
import asyncio
import http
import json
import sys

import websockets


async def handler(ws, path):
    if path == "/echo" or path == "/ping":
        if path == "/ping":
            await ws.ping(b"are-you-there")
        async for message in ws:
            await ws.send(message)
    elif path == "/headers":
        headers = {name.lower(): value for name, value in ws.request_headers.raw_items()}
        await ws.send(json.dumps({"headers": headers, "subprotocol": ws.subprotocol}))
        await ws.wait_closed()
    elif path.startswith("/close/"):
        await ws.close(code=int(path.split("/")[2]), reason="bye")


async def process_request(path, headers):
    if path == "/reject":
        return http.HTTPStatus.UNAUTHORIZED, [("Content-Type", "text/plain"), ("X-Peer", "python")], b"token required\n"
    return None


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0, subprotocols=["chat", "superchat"], process_request=process_request) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
