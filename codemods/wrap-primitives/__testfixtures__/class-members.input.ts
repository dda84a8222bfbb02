import { Pool } from "pg";
import axios from "axios";

export class OrdersRepository {
  private readonly pool = new Pool({ max: 4 });
  private readonly http;
  private cache = new Map<string, unknown>();

  constructor(private readonly baseUrl: string) {
    this.http = axios.create({ baseURL: baseUrl });
  }

  async find(id: string) {
    const { rows } = await this.pool.query("SELECT * FROM orders WHERE id = $1", [id]);
    return rows[0];
  }

  refresh = async (id: string) => {
    this.cache.delete(id);
    await this.pool.query("REFRESH MATERIALIZED VIEW orders_summary");
    return this.http.get(`/orders/${id}`);
  };

  query(sql: string) {
    return sql;
  }

  run() {
    return this.query("not a database");
  }
}

export function unrelated(this: { pool: { query(sql: string): void } }) {
  this.pool.query("SELECT 1");
}
