import { Pool } from "pg";
import pg from "pg";
import mysql from "mysql2/promise";
import { createConnection } from "mysql2";
import { govern } from "@governor/sdk";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const client = new pg.Client();
const conn = createConnection({ host: "localhost" });

export async function findUser(id: string) {
  const { rows } = await govern(pool).query("SELECT * FROM users WHERE id = $1", [id]);
  return rows[0];
}

export async function inTransaction() {
  const tx = await pool.connect();
  try {
    await govern(tx).query("BEGIN");
    await govern(tx).query("UPDATE accounts SET balance = balance - 1");
    await govern(tx).query("COMMIT");
  } finally {
    tx.release();
  }
}

export async function legacy() {
  await client.connect();
  await govern(client).query("SELECT 1");
  govern(conn).query("SELECT 2", () => undefined);
}

export async function orders(customer: string) {
  const db = await mysql.createPool({ uri: process.env.MYSQL_URL });
  const [rows] = await govern(db).execute("SELECT * FROM orders WHERE customer = ?", [customer]);
  return rows;
}
