import axios from "axios";
import * as fs from "node:fs";
import { exec } from "node:child_process";
import { promisify } from "node:util";
import { request } from "undici";
import { Pool } from "pg";
import { govern } from "@governor/sdk";

const run = promisify(govern(exec));
const api = govern(axios.create({ baseURL: "https://api.example.com" }));
const pool = new Pool();

export async function all() {
  await govern(fetch)("https://example.com");
  await govern(axios).get("/x");
  await api.get("/y");
  govern(fs, "fs").writeFileSync("a", "b");
  govern(exec)("ls");
  await run("pwd");
  await govern(request, "undici")("https://example.com");
  await govern(pool).query("SELECT 1");
}
