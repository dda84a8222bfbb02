import { exec as runQuery } from "@acme/db-helpers";

type Fetcher = (url: string) => Promise<Response>;

export async function withFetcher(fetch: Fetcher, url: string) {
  return fetch(url);
}

export async function localFetch(url: string) {
  const fetch = (u: string) => Promise.resolve(new Response(u));
  return fetch(url);
}

export function destructured({ fetch, exec }: { fetch: Fetcher; exec: (cmd: string) => void }) {
  exec("noop");
  return fetch("https://example.com");
}

class Client {
  fetch(url: string) {
    return url;
  }
  run() {
    return this.fetch("x");
  }
}

export function exec(cmd: string) {
  return runQuery(cmd);
}

export const results = [exec("select 1"), new Client().run()];

function inner() {
  function fetch(u: string) {
    return u;
  }
  return fetch("y");
}
inner();
