import { govern as g, governor } from "@governor/sdk";
import { writeFileSync } from "node:fs";

export async function save(path: string, body: string) {
  await governor.withIntent({ action: "write", resource: { type: "filesystem", name: path } }, async () => {
    g(writeFileSync)(path, body);
  });
  await g(fetch)("https://example.com/saved");
  return g(fetch)("https://example.com/done");
}
