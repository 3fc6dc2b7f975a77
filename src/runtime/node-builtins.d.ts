/**
 * The few Node built-ins src/runtime/node-*.ts use, typed by hand: the project has no
 * @types/node (everything else runs on workerd's types, and the two declare the same
 * globals differently), and these are all the Node runtime needs.
 */
declare module "node:stream" {
  interface NodeEmitter {
    once(event: string, listener: (...args: any[]) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }
  export class Readable implements NodeEmitter {
    once(event: string, listener: (...args: any[]) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    off(event: string, listener: (...args: any[]) => void): this;
    pipe<T extends Writable>(destination: T): T;
    resume(): this;
    pause(): this;
    /** In paused mode: everything buffered, or null. */
    read(size?: number): any;
    destroy(error?: Error): this;
    static fromWeb(stream: ReadableStream<Uint8Array>): Readable;
    static toWeb(stream: Readable): ReadableStream<Uint8Array>;
  }
  export class Writable implements NodeEmitter {
    once(event: string, listener: (...args: any[]) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    off(event: string, listener: (...args: any[]) => void): this;
    write(chunk: Uint8Array | string): boolean;
    end(chunk?: Uint8Array | string): this;
    destroy(error?: Error): this;
    readonly writableFinished: boolean;
    readonly destroyed: boolean;
  }
  export class Duplex extends Readable {
    write(chunk: Uint8Array | string): boolean;
    end(chunk?: Uint8Array | string): this;
    readonly writableFinished: boolean;
    readonly destroyed: boolean;
  }
}

declare module "node:http" {
  import type { Readable, Writable } from "node:stream";
  export interface AgentOptions {
    keepAlive?: boolean;
    maxSockets?: number;
    scheduling?: "fifo" | "lifo";
    /** Node >= 24.5: proxy settings in the shape of HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
    proxyEnv?: Record<string, string | undefined>;
    /** https.Agent: extra trusted CA certificates (PEM). */
    ca?: string;
  }
  export class Agent {
    constructor(options?: AgentOptions);
    destroy(): void;
  }
  export class IncomingMessage extends Readable {
    statusCode?: number;
    statusMessage?: string;
    method?: string;
    url?: string;
    headers: Record<string, string | string[] | undefined>;
    rawHeaders: string[];
    /** True once the whole message (the request body) has been received. */
    readonly complete: boolean;
    readonly destroyed: boolean;
    readonly socket: { remoteAddress?: string };
  }
  export class ClientRequest extends Writable {}
  export class ServerResponse extends Writable {
    readonly headersSent: boolean;
    writeHead(status: number, headers?: Record<string, string>): this;
  }
  export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
  export class Server {
    listen(port: number, hostname: string, callback?: () => void): this;
    close(callback?: (err?: Error) => void): this;
    address(): { port: number; address: string } | string | null;
    closeAllConnections(): void;
    on(event: "connection", listener: (socket: unknown) => void): this;
  }
  export function createServer(listener?: RequestListener): Server;
  export interface RequestOptions {
    protocol?: string;
    hostname?: string;
    port?: string | number;
    path?: string;
    method?: string;
    headers?: Record<string, string>;
    agent?: Agent;
  }
  export function request(options: RequestOptions, callback?: (res: IncomingMessage) => void): ClientRequest;
  const http: { Agent: typeof Agent; request: typeof request; createServer: typeof createServer };
  export default http;
}

declare module "node:https" {
  import type { AgentOptions, RequestOptions, IncomingMessage, ClientRequest, RequestListener, Server } from "node:http";
  export class Agent {
    constructor(options?: AgentOptions);
    destroy(): void;
  }
  export function request(options: Omit<RequestOptions, "agent"> & { agent?: Agent }, callback?: (res: IncomingMessage) => void): ClientRequest;
  export function createServer(options: { key: Uint8Array | string; cert: Uint8Array | string }, listener?: RequestListener): Server;
  const https: { Agent: typeof Agent; request: typeof request; createServer: typeof createServer };
  export default https;
}

declare module "node:zlib" {
  import type { Duplex } from "node:stream";
  const zlib: { createGunzip(): Duplex; createInflate(): Duplex; createBrotliDecompress(): Duplex };
  export default zlib;
}

declare module "node:buffer" {
  export class Buffer extends Uint8Array {
    static byteLength(text: string, encoding?: "utf8"): number;
    static concat(list: readonly Uint8Array[], totalLength?: number): Buffer;
    static from(text: string, encoding?: "utf8"): Buffer;
    static from(buffer: ArrayBufferLike, byteOffset?: number, length?: number): Buffer;
    toString(encoding?: "utf8" | "latin1", start?: number, end?: number): string;
  }
}

declare module "node:sqlite" {
  export class StatementSync {
    all(...params: Array<string | number | null>): unknown[];
    run(...params: Array<string | number | null>): { changes: number | bigint; lastInsertRowid: number | bigint };
  }
  export class DatabaseSync {
    constructor(location: string);
    exec(sql: string): void;
    prepare(sql: string): StatementSync;
    close(): void;
  }
}

declare module "node:fs" {
  export function mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined;
  export function mkdtempSync(prefix: string): string;
  export function rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  export function readFileSync(path: string): Uint8Array;
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function readdirSync(path: string): string[];
  export function existsSync(path: string): boolean;
  export function statSync(path: string): { isDirectory(): boolean };
}

declare module "node:path" {
  export function dirname(path: string): string;
  export function join(...paths: string[]): string;
  export function relative(from: string, to: string): string;
  export function resolve(...paths: string[]): string;
}

declare module "node:child_process" {
  import type { Readable } from "node:stream";
  export interface ChildProcess {
    readonly stdout: Readable | null;
    readonly stderr: Readable | null;
    readonly exitCode: number | null;
    readonly signalCode: string | null;
    once(event: "exit", listener: () => void): this;
    kill(signal?: string): boolean;
  }
  export function spawn(command: string, args: readonly string[], options: { env?: Record<string, string | undefined>; stdio?: Array<"ignore" | "pipe" | "inherit"> }): ChildProcess;
}

declare module "node:os" {
  export function tmpdir(): string;
}
