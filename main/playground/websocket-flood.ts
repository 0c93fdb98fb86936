import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { sendTime, stampedByteLength, writeStamped } from './payload.js';
import type { Scope } from './scope.js';

/**
 * Sends `count` stamped text messages as fast as the client reads them.
 *
 * Frames are encoded here and written to the socket in large batches instead of
 * one `ws.send()` each: per-message sends cap the server well below what a bare
 * client can receive, and then an ingest benchmark would measure the server.
 * Frames are unmasked and uncompressed (RSV1 clear), which is legal even when
 * permessage-deflate was negotiated, since compression is per message.
 */
const BATCH_BYTES = 256 * 1024;
/**
 * Bytes allowed to wait in the socket's buffer. Refilling as each batch is
 * flushed, rather than after the buffer ran dry ('drain'), keeps the client
 * from idling between bursts; the cap keeps memory bounded for any count.
 */
const QUEUED_BYTES = 1024 * 1024;
/** Yield to the event loop after this much, so other clients and close() progress. */
const TURN_BYTES = 4 * 1024 * 1024;

export function flood(ws: WebSocket, socket: Socket, scope: Scope, count: number, size: number): void {
  let sent = 0;
  let turnScheduled = false;

  const pump = (): void => {
    if (scope.disposed) return;
    let written = 0;
    while (sent < count && ws.readyState === WebSocket.OPEN) {
      // Full: the callback of a write still queued will pump again.
      if (socket.writableLength >= QUEUED_BYTES) return;
      if (written >= TURN_BYTES) {
        if (!turnScheduled) {
          turnScheduled = true;
          scope.immediate(() => {
            turnScheduled = false;
            pump();
          });
        }
        return;
      }
      const batch = encodeBatch();
      written += batch.length;
      socket.write(batch, onFlushed);
    }
    if (sent >= count && ws.readyState === WebSocket.OPEN) ws.close(1000, 'count reached');
  };
  const onFlushed = (error?: Error | null): void => {
    if (!error) pump();
  };

  const encodeBatch = (): Buffer => {
    let buffer = Buffer.allocUnsafe(BATCH_BYTES);
    let offset = 0;
    // One write puts the whole batch on the wire at once, so one stamp is its send time.
    const sentAt = Buffer.from(String(sendTime()), 'latin1');
    while (sent < count) {
      const length = stampedByteLength(sent + 1, sentAt, size);
      const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
      if (offset + headerLength + length > buffer.length) {
        if (offset > 0) break;
        buffer = Buffer.allocUnsafe(headerLength + length);
      }
      buffer[offset] = 0x81; // FIN, text
      if (length < 126) {
        buffer[offset + 1] = length;
      } else if (length < 65536) {
        buffer[offset + 1] = 126;
        buffer.writeUInt16BE(length, offset + 2);
      } else {
        buffer[offset + 1] = 127;
        buffer.writeUInt32BE(0, offset + 2);
        buffer.writeUInt32BE(length, offset + 6);
      }
      offset = writeStamped(buffer, offset + headerLength, sent + 1, sentAt, size);
      sent++;
    }
    return buffer.subarray(0, offset);
  };

  pump();
}
