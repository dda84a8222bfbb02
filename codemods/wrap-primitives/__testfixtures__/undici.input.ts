import { request, fetch as undiciFetch, stream, Agent } from "undici";
import * as undici from "undici";

const agent = new Agent({ connections: 4 });

export async function search(q: string) {
  const { body } = await request(`https://search.example/?q=${q}`, { dispatcher: agent });
  return body.json();
}

export async function page(url: string) {
  return (await undiciFetch(url)).text();
}

export async function save(url: string, sink: () => NodeJS.WritableStream) {
  await stream(url, { method: "GET" }, sink);
}

export async function direct(url: string) {
  return undici.request(url);
}
