import fs from "fs";
import { govern } from "@governor/sdk";

export function save(path: string, data: string) {
  govern(fs).writeFileSync(path, data);
  return govern(fetch)("https://example.com/saved");
}
