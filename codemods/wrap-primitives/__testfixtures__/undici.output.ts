import { request, fetch as undiciFetch, stream, Agent } from "undici";
import * as undici from "undici";
import { govern } from "@governor/sdk";

const agent = new Agent({ connections: 4 });

export async function search(q: string) {
  const { body } = await govern(request, "undici")(`https://search.example/?q=${q}`, { dispatcher: agent });
  return body.json();
}

export async function page(url: string) {
  return (await govern(undiciFetch, "undici")(url)).text();
}

export async function save(url: string, sink: () => NodeJS.WritableStream) {
  await govern(stream, "undici")(url, { method: "GET" }, sink);
}

export async function direct(url: string) {
  return govern(undici.request, "undici")(url);
}
