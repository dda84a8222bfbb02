import { governTool } from "@governor/sdk";
// Plain handlers that are not `async` but visibly return a promise: wrapping them keeps their type.
export const tools = [
  {
    name: "fetch_page",
    description: "Fetch a web page",
    parameters: { type: "object", properties: { url: { type: "string" } } },
    // Not async, but returns fetch's promise: wrapping it changes nothing for the caller.
    handler: governTool({ tool: "fetch_page", action: "read", resource: { type: "external_api" }, resourceNameFrom: "url" }, (args: { url: string }) => fetch(args.url)),
  },
  {
    name: "read_note",
    description: "Read a note",
    parameters: { type: "object", properties: { path: { type: "string" } } },
    handler: governTool({ tool: "read_note", action: "read", resource: { type: "filesystem" }, resourceNameFrom: "path" }, function (args: { path: string }): Promise<string> {
      return Promise.resolve(args.path);
    }),
  },
];
