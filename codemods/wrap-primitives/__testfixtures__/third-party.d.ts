// Minimal typings for the third-party clients the fixtures use, so fixture outputs type-check against
// @governor/sdk without installing axios, undici, pg, mysql2 or redis.
declare module "axios" {
  export interface AxiosResponse<T = unknown> {
    data: T;
    status: number;
  }
  export interface AxiosInstance {
    <T = unknown>(config: { url: string; method?: string }): Promise<AxiosResponse<T>>;
    get<T = unknown>(url: string, config?: object): Promise<AxiosResponse<T>>;
    post<T = unknown>(url: string, data?: unknown, config?: object): Promise<AxiosResponse<T>>;
    create(config?: object): AxiosInstance;
  }
  const axios: AxiosInstance;
  export default axios;
}

declare module "undici" {
  export class Agent {
    constructor(options?: object);
  }
  export function request(
    url: string,
    options?: object,
  ): Promise<{ statusCode: number; body: { json(): Promise<unknown>; text(): Promise<string> } }>;
  export function fetch(url: string, init?: object): Promise<Response>;
  export function stream(url: string, options: object, factory: () => NodeJS.WritableStream): Promise<void>;
}

declare module "pg" {
  export interface QueryResult {
    rows: Record<string, unknown>[];
  }
  export class PoolClient {
    query(sql: string, params?: unknown[]): Promise<QueryResult>;
    release(): void;
  }
  export class Client {
    constructor(config?: object);
    connect(): Promise<void>;
    query(sql: string, params?: unknown[]): Promise<QueryResult>;
  }
  export class Pool {
    constructor(config?: object);
    connect(): Promise<PoolClient>;
    query(sql: string, params?: unknown[]): Promise<QueryResult>;
  }
  const pg: { Pool: typeof Pool; Client: typeof Client };
  export default pg;
}

declare module "mysql2" {
  export interface Connection {
    query(sql: string, callback: (error: Error | null, rows: unknown) => void): void;
    promise(): import("mysql2/promise").Pool;
  }
  export function createConnection(config: object): Connection;
  const mysql: { createConnection: typeof createConnection };
  export default mysql;
}

declare module "mysql2/promise" {
  export interface Pool {
    execute(sql: string, params?: unknown[]): Promise<[unknown[], unknown]>;
  }
  export function createPool(config: object): Pool;
  const mysql: { createPool: typeof createPool };
  export default mysql;
}

declare module "redis" {
  export function createClient(): { multi(): { exec(): Promise<unknown[]> } };
}

declare module "@acme/db-helpers" {
  export function exec(sql: string): Promise<unknown>;
}

declare module "@acme/db" {
  export const db: { query(sql: string): Promise<unknown> };
}
