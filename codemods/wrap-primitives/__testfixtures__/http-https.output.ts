import http from "node:http";
import * as https from "https";
import { request, get as httpsGet } from "node:https";
import { createServer } from "http";
import { govern } from "@governor/sdk";

export function callHook(body: string) {
  const req = govern(http).request({ host: "hooks.internal", method: "POST", path: "/notify" }, (res) => res.resume());
  req.end(body);
}

export function download(url: string) {
  govern(https).get(url, (res) => res.pipe(process.stdout));
}

export function secureRequest(url: string) {
  return govern(request)(url, { method: "DELETE" });
}

export function secureGet(url: string) {
  return govern(httpsGet)(url);
}

export const server = createServer((_req, res) => res.end("ok"));
