import { createClient } from "redis";
import { db } from "@acme/db";

const redis = createClient();
const shell = { exec(cmd: string) { return cmd; } };

export async function run() {
  shell.exec("ls");
  await redis.multi().exec();
  await db.query("SELECT 1");
  const re = /a/;
  re.exec("abc");
  return process.env.FETCH_URL;
}
