/**
 * The few Node built-ins src/runtime/node-upstream.ts uses, typed by hand: the project has
 * no @types/node (everything else runs on workerd's types), and these are all it needs.
 */
declare module "node:stream" {
  interface NodeEmitter {
    once(event: string, listener: (...args: any[]) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }
  export class Readable implements NodeEmitter {
    once(event: string, listener: (...args: any[]) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    pipe<T extends Writable>(destination: T): T;
    resume(): this;
    pause(): this;
    destroy(error?: Error): this;
    static fromWeb(stream: ReadableStream<Uint8Array>): Readable;
    static toWeb(stream: Readable): ReadableStream<Uint8Array>;
  }
  export class Writable implements NodeEmitter {
    once(event: string, listener: (...args: any[]) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    end(chunk?: Uint8Array | string): this;
    destroy(error?: Error): this;
  }
  export class Duplex extends Readable {
    end(chunk?: Uint8Array | string): this;
  }
}

declare module "node:http" {
  import type { Readable, Writable } from "node:stream";
  export interface AgentOptions {
    keepAlive?: boolean;
    maxSockets?: number;
    scheduling?: "fifo" | "lifo";
  }
  export class Agent {
    constructor(options?: AgentOptions);
    destroy(): void;
  }
  export class IncomingMessage extends Readable {
    statusCode?: number;
    statusMessage?: string;
    headers: Record<string, string | string[] | undefined>;
    rawHeaders: string[];
  }
  export class ClientRequest extends Writable {}
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
  const http: { Agent: typeof Agent; request: typeof request };
  export default http;
}

declare module "node:https" {
  import type { AgentOptions, RequestOptions, IncomingMessage, ClientRequest } from "node:http";
  export class Agent {
    constructor(options?: AgentOptions);
    destroy(): void;
  }
  export function request(options: Omit<RequestOptions, "agent"> & { agent?: Agent }, callback?: (res: IncomingMessage) => void): ClientRequest;
  const https: { Agent: typeof Agent; request: typeof request };
  export default https;
}

declare module "node:zlib" {
  import type { Duplex } from "node:stream";
  const zlib: { createGunzip(): Duplex; createInflate(): Duplex; createBrotliDecompress(): Duplex };
  export default zlib;
}
