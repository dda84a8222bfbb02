// Plain handlers that are not `async` but visibly return a promise: wrapping them keeps their type.
export const tools = [
  {
    name: "fetch_page",
    description: "Fetch a web page",
    parameters: { type: "object", properties: { url: { type: "string" } } },
    // Not async, but returns fetch's promise: wrapping it changes nothing for the caller.
    handler: (args: { url: string }) => fetch(args.url),
  },
  {
    name: "read_note",
    description: "Read a note",
    parameters: { type: "object", properties: { path: { type: "string" } } },
    handler(args: { path: string }): Promise<string> {
      return Promise.resolve(args.path);
    },
  },
];
