// The byte path between a client's socket and the server.
//
// Node's stream layer (Readable push and 'data' emit per read, the Writable queue and its
// callbacks per write) costs about 3.5 µs of CPU per request/reply round trip on the machines
// Fjord is measured on: a fifth of what a request costs in all at pipeline depth 1. So where
// Node exposes it, Fjord talks to the socket's libuv handle itself, as Node's own stream code
// does: reads arrive in `onData` straight from the handle's read callback, and a reply batch is
// handed to the handle's writeBuffer in one call. End of stream, errors and closing still go
// through Node (the original read callback and socket.destroy/end), so the socket's 'close' and
// 'error' events keep their meaning. Where the handle or the binding is missing (another handle
// type, a future Node), the stream API is used instead, with the same behaviour.

import type { Socket } from 'node:net';

/** Node's stream_wrap binding: the shared state slots libuv results are reported in. */
interface StreamBinding {
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  WriteWrap: new () => WriteRequest;
}

/** A libuv stream handle as Node's TCPWrap/PipeWrap expose it. */
interface StreamHandle {
  onread: (this: StreamHandle, ab: ArrayBuffer) => unknown;
  reading: boolean;
  readStart(): number;
  readStop(): number;
  /** read into this buffer from now on, instead of a new allocation per read */
  useUserBuffer?(buf: Uint8Array): void;
  writeBuffer(req: WriteRequest, data: Uint8Array): number;
}

interface WriteRequest {
  handle: StreamHandle;
  oncomplete: (this: WriteRequest, status: number) => void;
  async: boolean;
  bytes: number;
  /** keeps the bytes alive until libuv has written them */
  buffer: Buffer | null;
  conn: Connection | null;
}

const binding = loadStreamBinding();

/** Where every directly read connection receives its bytes (the size of Node's own reads). */
const SHARED_READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function loadStreamBinding(): StreamBinding | null {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamBinding> }).binding('stream_wrap');
    if (b.streamBaseState instanceof Int32Array && typeof b.WriteWrap === 'function' && typeof b.kReadBytesOrError === 'number') {
      return b as StreamBinding;
    }
  } catch {
    // no binding: the stream API is used
  }
  return null;
}

function isStreamHandle(h: unknown): h is StreamHandle {
  const o = h as Partial<StreamHandle> | null;
  return o !== null && typeof o === 'object' && typeof o.onread === 'function' && typeof o.writeBuffer === 'function' && typeof o.readStop === 'function';
}

export class Connection {
  /** bytes handed to libuv that it has not written yet (direct writes) */
  private inFlight = 0;
  private readonly handle: StreamHandle | null;
  /** reading stopped for backpressure (CLIENT LIST shows no 'r' event) */
  private paused = false;

  constructor(
    readonly socket: Socket,
    /**
     * bytes received; `transient`: the chunk's memory is reused once the call returns, so
     * whatever must outlive the call is copied out of it
     */
    private readonly onData: (chunk: Buffer, transient: boolean) => void,
    /** called when everything written so far has left (after a write had to wait) */
    private readonly onDrain: () => void,
  ) {
    const handle = (socket as unknown as { _handle?: unknown })._handle;
    this.handle = binding !== null && isStreamHandle(handle) ? handle : null;
    if (this.handle !== null) this.hookReads(this.handle, binding as StreamBinding);
    else {
      socket.on('data', (chunk: Buffer) => onData(chunk, false));
      socket.on('drain', onDrain);
    }
  }

  private hookReads(handle: StreamHandle, b: StreamBinding): void {
    const streamRead = handle.onread;
    const state = b.streamBaseState;
    const kRead = b.kReadBytesOrError;
    const kOffset = b.kArrayBufferOffset;
    const socket = this.socket;
    const onData = this.onData;
    if (typeof handle.useUserBuffer === 'function') {
      // Every connection reads into the one shared buffer: no allocation per read (Node's own
      // reads malloc 64 KB, then wrap what arrived in a new ArrayBuffer). A read is consumed by
      // onData before the event loop can start the next one.
      handle.useUserBuffer(SHARED_READ_BUFFER);
      handle.onread = function (this: StreamHandle, ab: ArrayBuffer) {
        const nread = state[kRead];
        if (nread > 0 && !socket.destroyed) return void onData(SHARED_READ_BUFFER.subarray(0, nread), true);
        // End of stream and errors: Node's own handling (ends or destroys the socket).
        return streamRead.call(this, ab);
      };
      return;
    }
    handle.onread = function (this: StreamHandle, ab: ArrayBuffer) {
      const nread = state[kRead];
      // Each read gets its own ArrayBuffer from Node, so the parser may keep views of it.
      if (nread > 0 && !socket.destroyed) return void onData(Buffer.from(ab, state[kOffset], nread), false);
      return streamRead.call(this, ab);
    };
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  /** Output accepted but not yet sent (client-output-buffer-limit, CLIENT LIST omem). */
  get pendingBytes(): number {
    return this.inFlight + this.socket.writableLength;
  }

  /**
   * Send bytes. Returns true when they were all copied into the kernel during the call, so the
   * caller may reuse their memory at once; false when the socket keeps a reference to `data`.
   */
  write(data: Buffer): boolean {
    const handle = this.handle;
    if (handle === null || this.socket.writableLength > 0) {
      this.socket.write(data);
      return false;
    }
    const b = binding as StreamBinding;
    const req = spareRequest ?? newWriteRequest(b);
    spareRequest = null;
    req.handle = handle;
    req.bytes = data.length;
    req.buffer = data;
    const err = handle.writeBuffer(req, data);
    if (err !== 0) {
      this.socket.destroy();
      return false;
    }
    if (b.streamBaseState[b.kLastWriteWasAsync] !== 0) {
      req.async = true;
      req.conn = this;
      this.inFlight += data.length;
      return false;
    }
    // Written during the call: Node did not tie the request to a native write, so it can serve
    // the next write too.
    req.buffer = null;
    spareRequest = req;
    return true;
  }

  /** @internal a direct write libuv had to queue has finished */
  writeDone(bytes: number, status: number): void {
    this.inFlight -= bytes;
    if (status < 0) {
      this.socket.destroy();
      return;
    }
    if (this.inFlight === 0 && !this.socket.destroyed) this.onDrain();
  }

  /** Stop reading (backpressure: the client does not read its replies). */
  get readingPaused(): boolean {
    return this.paused;
  }

  pauseReading(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.handle === null) {
      this.socket.pause();
      return;
    }
    this.handle.reading = false;
    if (!this.socket.destroyed) this.handle.readStop();
  }

  resumeReading(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.handle === null) {
      this.socket.resume();
      return;
    }
    if (this.socket.destroyed) return;
    this.handle.reading = true;
    this.handle.readStart();
  }

  /** Send what is left, then close (libuv finishes queued writes before the shutdown). */
  end(data?: Buffer): void {
    if (data !== undefined) this.socket.end(data);
    else this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A write request object free for the next direct write (see Connection.write). */
let spareRequest: WriteRequest | null = null;

function newWriteRequest(b: StreamBinding): WriteRequest {
  const req = new b.WriteWrap();
  req.oncomplete = onWriteComplete;
  req.async = false;
  req.conn = null;
  return req;
}

function onWriteComplete(this: WriteRequest, status: number): void {
  const conn = this.conn;
  this.buffer = null;
  if (conn !== null) conn.writeDone(this.bytes, status);
}
